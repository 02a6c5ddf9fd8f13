"""The Codex backend against a fake `codex` executable replaying `exec --json` events:
an imported Codex session goes on in Codex, in its folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes import imported_session, put_on_path
from tui.engine import Engine
from tui.engine.providers.codex import INSTALL_HINT
from tui.engine.sessions.model import ThinkingPart, ToolResultPart, ToolUsePart
from tui.engine.turns.runtime import SessionRuntime


@pytest.fixture
def codex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `codex` on PATH that runs the fake; the log file of its runs."""
    return put_on_path("codex", tmp_path, monkeypatch)


def _imported(engine: Engine, cwd: Path) -> str:
    return imported_session(engine, "codex", "thread-1", cwd)


async def test_a_codex_session_goes_on_with_codex_exec_resume(
    engine: Engine, codex: Path, tmp_path: Path
) -> None:
    sid = _imported(engine, tmp_path)
    result = await SessionRuntime(engine, sid).send("add a test")
    assert result.outcome == "success", result.error
    (run,) = [json.loads(line) for line in codex.read_text().splitlines()]
    assert run["argv"][:2] == ["exec", "--json"] and run["argv"][-3:] == ["resume", "thread-1", "-"]
    assert run["cwd"] == str(tmp_path) and run["stdin"] == "add a test"
    reply = engine.transcript(sid)[-1]
    assert reply.text == "Done: add a test" and reply.usage.input_tokens == 900
    kinds = [type(p) for p in reply.parts]
    assert kinds[:3] == [ThinkingPart, ToolUsePart, ToolResultPart]
    assert engine.session(sid).origin.source_id == "thread-1"


async def test_failures_and_a_missing_binary_are_clear(
    engine: Engine, codex: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = _imported(engine, tmp_path)
    monkeypatch.setenv("FAKE_CODEX_SCENARIO", "fail")
    result = await SessionRuntime(engine, sid).send("go")
    assert result.outcome == "error" and "codex: stream disconnected" in (result.error or "")
    monkeypatch.setenv("FORKTREE_CODEX_BIN", str(tmp_path / "nowhere" / "codex"))
    result = await SessionRuntime(engine, sid).send("again")
    assert result.error == INSTALL_HINT


async def test_a_fork_of_a_codex_session_says_what_is_possible(
    engine: Engine, codex: Path, tmp_path: Path
) -> None:
    sid = _imported(engine, tmp_path)
    fork = engine.fork(sid)  # at the end: codex exec cannot fork a thread unattended
    result = await SessionRuntime(engine, fork.id).send("hi")
    assert result.outcome == "error" and "codex can only continue a session from its end" in (
        result.error or ""
    )
    assert "`codex fork` forks it in a terminal" in (result.error or "")  # its own hint
    assert not codex.exists()
