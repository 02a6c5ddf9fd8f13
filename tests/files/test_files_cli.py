"""Files on the command line: revert / fork with files and a preview, a fork in its own
git worktree, what each branch changed in compare, and undoing a restore."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.files.test_file_history import git
from tui.cli import main
from tui.engine import Engine
from tui.engine.files.history import record
from tui.engine.files.watch import Change
from tui.engine.sessions.model import Origin, TextPart, ToolResultPart, ToolUsePart


def _edit(engine: Engine, sid: str, folder: Path, path: str, text: str | None) -> str:
    """One agent turn that writes `path` (None: removes it), recorded as a tool does."""
    target = folder / path
    before = target.read_bytes() if target.exists() else None
    if text is None:
        target.unlink()
    else:
        target.write_text(text)
    after = None if text is None else text.encode()
    engine.append(sid, "user", f"change {path}")
    parts = record(engine.blobs, "t", [Change(path, before, after)])
    call = ToolUsePart("t", "write_file", {"path": path})
    reply = engine.append(sid, "assistant", parts=[call, ToolResultPart("t", "ok"), *parts,
                                                   TextPart(f"changed {path}")])  # fmt: skip
    return reply.id


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    work = tmp_path / "repo"
    work.mkdir()
    (work / "app.py").write_text("print(1)\n")
    git(work, "init", "-q", "-b", "main")
    git(work, "-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    git(work, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start")
    return work


def test_revert_with_files_previews_then_moves_both_and_undoes(
    engine: Engine, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = engine.new_session(origin=Origin(cwd=str(repo))).id
    first = _edit(engine, sid, repo, "app.py", "print(2)\n")
    _edit(engine, sid, repo, "new.py", "x = 1\n")
    assert main(["revert", sid, first, "--files", "both", "--preview"]) == 0
    shown = capsys.readouterr().out
    assert "--- new.py: remove" in shown and "-x = 1" in shown
    assert (repo / "new.py").exists() and len(engine.transcript(sid)) == 4  # nothing moved
    plan = _json(capsys, "revert", sid, first, "--preview", "--json", "--files", "files")
    assert [f["path"] for f in plan["files"]] == ["new.py"]  # type: ignore[index]
    assert main(["revert", sid, first, "--files", "both"]) == 0
    said = capsys.readouterr().out
    assert not (repo / "new.py").exists() and len(engine.transcript(sid)) == 2
    undo_id = said.split("undo-restore ")[1].split(")")[0]
    assert main(["undo-restore", undo_id]) == 0
    assert (repo / "new.py").read_text() == "x = 1\n"


def test_a_file_changed_outside_stops_the_revert_until_forced(
    engine: Engine, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = engine.new_session(origin=Origin(cwd=str(repo))).id
    first = _edit(engine, sid, repo, "app.py", "print(2)\n")
    _edit(engine, sid, repo, "app.py", "print(3)\n")
    (repo / "app.py").write_text("print('mine')\n")
    assert main(["revert", sid, first, "--files", "both"]) == 2
    assert "changed outside forktree" in capsys.readouterr().err
    assert (repo / "app.py").read_text() == "print('mine')\n"
    assert len(engine.transcript(sid)) == 4  # the conversation did not move either
    assert main(["revert", sid, first, "--files", "both", "--force"]) == 0
    assert (repo / "app.py").read_text() == "print(2)\n"


def test_a_fork_in_its_own_worktree_starts_at_the_fork_point(
    engine: Engine, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = engine.new_session(origin=Origin(cwd=str(repo))).id
    first = _edit(engine, sid, repo, "app.py", "print(2)\n")
    _edit(engine, sid, repo, "later.py", "y = 2\n")
    fork = _json(capsys, "fork", sid, "--at", first, "--worktree", "--json")
    cwd = Path(fork["origin"]["cwd"])  # type: ignore[index]
    assert cwd != repo and (cwd / ".git").is_file()  # a git worktree
    assert (cwd / "app.py").read_text() == "print(2)\n"  # the parent's uncommitted edit
    assert not (cwd / "later.py").exists()  # made after the fork point: not here
    assert (repo / "later.py").exists()  # the parent's folder is untouched
    branch = subprocess.run(["git", "-C", str(cwd), "branch", "--show-current"],
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    assert branch == f"forktree/{fork['id'][:8]}"  # type: ignore[index]
    _edit(engine, fork["id"], cwd, "app.py", "print('fork')\n")  # type: ignore[index]
    compared = _json(capsys, "compare", sid, fork["id"], "--json", "--diff")  # type: ignore[index]
    files = compared["files"]  # type: ignore[index]
    assert [(f["path"], f["status"]) for f in files["a"]] == [("later.py", "added")]
    assert [(f["path"], f["status"]) for f in files["b"]] == [("app.py", "modified")]
    assert "+print('fork')" in files["b"][0]["diff"]
    assert main(["workspace-rm", fork["id"]]) == 2  # type: ignore[index]
    assert "uncommitted change" in capsys.readouterr().err
    assert main(["workspace-rm", fork["id"], "--force"]) == 0  # type: ignore[index]
    assert not cwd.exists() and engine.session(fork["id"]).origin.workspace is None  # type: ignore[index]


def test_files_lists_what_a_branch_changed(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    sid = engine.new_session(origin=Origin(cwd=str(folder))).id
    _edit(engine, sid, folder, "a.txt", "one\ntwo\n")
    assert main(["files", sid, "--diff"]) == 0
    out = capsys.readouterr().out
    assert "added    a.txt  +2 -0" in out and "+two" in out


def test_keep_the_winner_carries_its_files_into_the_parent(
    engine: Engine, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.engine.explore.fanout import make_forks

    sid = engine.new_session(origin=Origin(cwd=str(repo))).id
    _edit(engine, sid, repo, "app.py", "print(2)\n")
    a, b = make_forks(engine, sid, [(None, "m1"), (None, "m2")], worktree=True)
    assert a.origin.cwd != b.origin.cwd  # each works in its own folder
    _edit(engine, a.id, Path(a.origin.cwd or ""), "app.py", "print('a')\n")
    _edit(engine, b.id, Path(b.origin.cwd or ""), "app.py", "print('b')\n")
    assert (repo / "app.py").read_text() == "print(2)\n"  # neither touched the parent
    assert main(["keep", a.id, "--files", "--preview"]) == 0
    assert "+print('a')" in capsys.readouterr().out
    kept = _json(capsys, "keep", a.id, "--files", "--json")
    assert kept["files"] == ["app.py"] and kept["archived"] == [b.id]  # type: ignore[index]
    assert (repo / "app.py").read_text() == "print('a')\n"
    assert engine.session(b.id).archived and not engine.session(a.id).archived


def test_keep_refuses_a_file_the_parent_changed_since_the_fork(
    engine: Engine, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = engine.new_session(origin=Origin(cwd=str(repo))).id
    _edit(engine, sid, repo, "app.py", "print(2)\n")
    fork = _json(capsys, "fork", sid, "--worktree", "--json")
    _edit(engine, fork["id"], Path(fork["origin"]["cwd"]), "app.py", "print('f')\n")  # type: ignore[index]
    (repo / "app.py").write_text("print('parent went on')\n")
    assert main(["keep", fork["id"], "--files"]) == 2  # type: ignore[index]
    assert "changed outside forktree" in capsys.readouterr().err
    assert (repo / "app.py").read_text() == "print('parent went on')\n"
