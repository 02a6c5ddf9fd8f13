"""One shape for every agent: format detection, `import all` / `import PATH`, the
settings naming the agents and their folders, each agent's resume command, what the
live watch imports again for a changed file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.importers.cc_fixture import SID, Transcript, text
from tests.importers.test_codex import _current, _write
from tests.importers.test_opencode import _database, _files
from tui.cli import main
from tui.engine import Engine
from tui.engine.config.settings import AGENT_NAMES, load_settings
from tui.engine.importers.agents import AGENTS, agent, detect
from tui.engine.importers.watch import agent_roots, import_changed


def _claude(root: Path) -> Path:
    t = Transcript(cwd="/work/app")
    t.assistant([text("hello")], t.user("hi", None), "msg_1")
    return t.write(root / "projects" / "-work-app" / f"{SID}.jsonl")


def _codex(root: Path) -> Path:
    return _write(root / "sessions" / "2026" / "03" / "01" / "rollout-a.jsonl", _current("th-a"))


def test_the_settings_know_every_agent_there_is() -> None:
    assert tuple(AGENTS) == AGENT_NAMES


def test_each_format_is_told_apart_from_the_others(tmp_path: Path) -> None:
    cc, cx = _claude(tmp_path / "claude"), _codex(tmp_path / "codex")
    oc_db, oc_files = _database(tmp_path / "oc-db"), _files(tmp_path / "oc-files")
    assert detect(cc) is AGENTS["claude_code"]
    assert detect(tmp_path / "claude") is AGENTS["claude_code"]  # ~/.claude
    assert detect(cx) is AGENTS["codex"]
    assert detect(tmp_path / "codex") is AGENTS["codex"]  # ~/.codex
    assert detect(oc_db) is AGENTS["opencode"]
    assert detect(oc_db / "opencode.db") is AGENTS["opencode"]
    assert detect(oc_files) is AGENTS["opencode"]
    other = tmp_path / "notes.jsonl"
    other.write_text(json.dumps({"role": "user", "content": "hi"}) + "\n")
    assert detect(other) is None
    assert detect(tmp_path / "empty-folder-that-is-not-there") is None


def test_import_all_reads_every_enabled_agent(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _claude(tmp_path / "claude")  # CLAUDE_CONFIG_DIR, CODEX_HOME, XDG_DATA_HOME: conftest
    _codex(tmp_path / "codex")
    _database(tmp_path / "data" / "opencode")
    assert main(["import", "all", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert {name: s["sessions"] for name, s in summary.items()} == {
        "claude_code": 1,
        "codex": 1,
        "opencode": 2,
    }
    kinds = sorted(s.origin.kind for s in engine.sessions())
    assert kinds == ["claude_code", "codex", "opencode", "opencode"]
    assert main(["import", "all"]) == 0  # again: nothing changed, nothing read
    out = capsys.readouterr().out
    assert "Codex: 0 imported, 0 updated, 1 unchanged" in out
    assert "OpenCode: 0 imported, 0 updated, 1 unchanged" in out


def test_import_all_follows_the_settings(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _claude(tmp_path / "claude")
    _codex(tmp_path / "elsewhere")
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "settings.toml").write_text(
        'agents = ["codex"]\n[agent_folders]\ncodex = "' + str(tmp_path / "elsewhere") + '"\n'
    )
    assert main(["import", "all"]) == 0
    assert capsys.readouterr().out.startswith("Codex: 1 imported")
    assert [s.origin.kind for s in engine.sessions()] == ["codex"]  # not Claude Code


def test_a_path_is_imported_by_the_agent_its_files_belong_to(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rollout = _codex(tmp_path / "somewhere")
    assert main(["import", str(rollout)]) == 0
    assert capsys.readouterr().out.startswith("Codex: 1 imported")
    stray = tmp_path / "stray.txt"
    stray.write_text("hello")
    assert main(["import", str(stray)]) == 2
    assert "holds no Claude Code, Codex or OpenCode sessions" in capsys.readouterr().err
    assert main(["import", "nonsense"]) == 2
    assert "neither a source" in capsys.readouterr().err


def test_bad_agent_settings_are_named_and_the_rest_applies(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('agents = ["codex", "cursor"]\n[agent_folders]\naider = "~/x"\ncodex = 3\n')
    settings, problems = load_settings(path)
    assert settings.agents == ("codex",) and settings.agent_folders == {}
    assert any("unknown agent 'cursor'" in p for p in problems)
    assert any("unknown agent 'aider'" in p for p in problems)
    assert any("codex must be a folder path" in p for p in problems)


def test_each_agent_resumes_in_its_own_command() -> None:
    assert agent("claude-code").resume_command("/w p", "abc") == "cd '/w p' && claude --resume abc"
    assert agent("codex").resume_command(None, "th-1") == "codex resume th-1"
    assert agent("opencode").resume_command("/w", "ses_1") == "cd /w && opencode --session ses_1"


def test_the_watch_imports_what_a_changed_file_belongs_to(engine: Engine, tmp_path: Path) -> None:
    root = tmp_path / "data" / "opencode"
    _database(root)
    (root / "log").mkdir()
    (root / "log" / "today.log").write_text("noise")
    spec = agent("opencode")
    assert spec.unit_of(root / "log" / "today.log", root) is None  # its logs: nothing to read
    assert spec.unit_of(root / "opencode.db-wal", root) == root
    assert agent_roots(["opencode", "codex"]) == {"opencode": root}  # codex has no folder
    touched = import_changed(engine, "opencode", root, [root / "opencode.db"])
    assert len(touched) == 2 and {engine.session(t).origin.kind for t in touched} == {"opencode"}
    assert import_changed(engine, "opencode", root, [root / "opencode.db"]) == []  # unchanged
    sub = Path("/c/projects/-w/abc/subagents/agent-1.jsonl")
    main_file = Path("/c/projects/-w/abc.jsonl")
    assert agent("claude_code").unit_of(sub, Path("/c/projects")) == main_file
