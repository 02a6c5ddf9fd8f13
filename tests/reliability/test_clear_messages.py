"""Bad input and a hostile environment get one clear line and a non-zero exit, never a
traceback, and lose nothing."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main
from tui.engine import Engine
from tui.engine.config.settings import load_settings
from tui.engine.importers.claude_code import ClaudeCodeImporter


def _cli(home: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, FORKTREE_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], input=stdin, capture_output=True, env=env
    )


def _one_clear_line(done: subprocess.CompletedProcess[bytes], *words: str) -> None:
    err = done.stderr.decode()
    assert done.returncode != 0 and "Traceback" not in err, err
    assert err.startswith("forktree: error:") and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err


def test_home_naming_a_file(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    _one_clear_line(_cli(afile, "list"), "is a file, not a store folder")


def test_export_into_a_missing_folder(isolated_env: Path) -> None:
    sid = Engine.open(isolated_env).new_session().id
    _one_clear_line(
        _cli(isolated_env, "export", sid, "-o", str(isolated_env / "no" / "x.md")),
        "cannot write", "No such file",
    )  # fmt: skip


def test_random_bytes_on_stdin(isolated_env: Path) -> None:
    sid = Engine.open(isolated_env).new_session().id
    _one_clear_line(_cli(isolated_env, "send", sid, "-", stdin=bytes(range(128, 256))), "UTF-8")
    assert Engine.open(isolated_env).transcript(sid) == []


def test_store_lock_is_a_folder(isolated_env: Path) -> None:
    Engine.open(isolated_env).new_session()
    lock = isolated_env / "store.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    _one_clear_line(_cli(isolated_env, "new"), "cannot lock the store", "store.lock")


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_disk_full_or_read_only_store(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    code: int,
) -> None:  # fmt: skip
    engine = Engine.open(isolated_env)
    sid = engine.new_session(title="keep").id
    engine.append(sid, "user", "precious")
    engine.close()
    from tui.engine.store import atomic

    def full(*args: object, **kwargs: object) -> str:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic, "stage", full)
    assert main(["rename", sid, "new title"]) == 2
    err = capsys.readouterr().err
    assert "cannot write to the store" in err and os.strerror(code) in err
    monkeypatch.undo()
    again = Engine.open(isolated_env)
    assert again.session(sid).title == "keep" and again.transcript(sid)[0].text == "precious"


def test_non_finite_settings_are_named_and_defaulted(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[tools]\nmax_rounds = inf\nshell_timeout = -3\n")
    settings, problems = load_settings(path)
    assert settings.tools.max_rounds == 20 and settings.tools.shell_timeout == 120
    assert len(problems) == 2 and any("max_rounds" in p for p in problems)


def test_claude_code_files_that_cannot_be_read_do_not_stop_the_import(
    isolated_env: Path, tmp_path: Path
) -> None:
    root = tmp_path / "projects" / "p"
    root.mkdir(parents=True)
    good = (
        b'{"type":"user","uuid":"u1","parentUuid":null,"sessionId":"s1",'
        b'"timestamp":"2026-01-01T00:00:00Z","message":{"role":"user","content":"hello"}}\n'
    )
    (root / "good.jsonl").write_bytes(good)
    (root / "deep.jsonl").write_bytes(b"[" * 100_000 + b"\n" + good.replace(b"s1", b"s2"))
    (root / "dangling.jsonl").symlink_to(root / "nowhere.jsonl")
    (root / "loop.jsonl").symlink_to(root / "loop.jsonl")
    os.mkfifo(root / "fifo.jsonl")
    report = ClaudeCodeImporter(Engine.open(isolated_env)).run(tmp_path / "projects")
    summary = report.to_dict()
    assert summary["imported"] == 2 and summary["failed"] == 0
    assert summary["skipped_lines"] >= 1


def test_a_theme_with_a_bad_colour_is_named_and_skipped(tmp_path: Path) -> None:
    from tui.app.themes import load_themes

    (tmp_path / "bad.toml").write_text('name = "bad"\nprimary = "notacolour"\n')
    (tmp_path / "ok.toml").write_text('name = "ok"\nprimary = "#112233"\n')
    themes, problems = load_themes([tmp_path])
    assert [t.name for t in themes] == ["ok"]
    assert len(problems) == 1 and "is not a colour" in problems[0]
