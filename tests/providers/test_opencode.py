"""The OpenCode backend against a fake `opencode` executable: an imported OpenCode
session goes on in OpenCode (`opencode run --session`), a fork at its end with --fork."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes import imported_session, put_on_path
from tui.engine import Engine
from tui.engine.sessions.model import ToolResultPart, ToolUsePart
from tui.engine.turns.runtime import SessionRuntime


@pytest.fixture
def opencode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `opencode` on PATH that runs the fake; the log file of its runs."""
    return put_on_path("opencode", tmp_path, monkeypatch)


def _imported(engine: Engine, cwd: Path) -> str:
    return imported_session(engine, "opencode", "ses_abc", cwd)


async def test_an_opencode_session_goes_on_and_forks_at_its_end(
    engine: Engine, opencode: Path, tmp_path: Path
) -> None:
    sid = _imported(engine, tmp_path)
    result = await SessionRuntime(engine, sid).send("--help me")  # a prompt, not a flag
    assert result.outcome == "success", result.error
    run = json.loads(opencode.read_text().splitlines()[0])
    assert run["argv"][:5] == ["run", "--format", "json", "--session", "ses_abc"]
    assert run["argv"][-2:] == ["--", "--help me"] and run["cwd"] == str(tmp_path)
    reply = engine.transcript(sid)[-1]
    assert reply.text == "Done: --help me" and reply.usage.cost_usd == pytest.approx(0.02)
    assert [type(p) for p in reply.parts][:2] == [ToolUsePart, ToolResultPart]
    fork = engine.fork(sid)
    assert (await SessionRuntime(engine, fork.id).send("other way")).outcome == "success"
    forked = json.loads(opencode.read_text().splitlines()[1])
    assert "--fork" in forked["argv"]
    assert engine.session(fork.id).origin.source_id == "ses_forked"
    assert engine.session(sid).origin.source_id == "ses_abc"


def _imported_from_storage(engine: Engine, root: Path) -> str:
    from tests.importers.test_opencode import _database
    from tui.engine.importers.opencode import OpenCodeImporter, opencode_id

    _database(root)
    OpenCodeImporter(engine).run(root)
    return opencode_id("session", "ses_a")


async def test_a_fork_at_an_earlier_message_uses_opencodes_own_fork(
    engine: Engine, opencode: Path, tmp_path: Path
) -> None:
    """`opencode serve` is started, asked to fork before the message after the fork
    point, stopped; the turn then runs in the new OpenCode session."""
    sid = _imported_from_storage(engine, tmp_path / "oc")
    first = engine.transcript(sid)[0]  # the prompt: a fork before its reply
    fork = engine.fork(sid, at=first.id)
    assert engine.session(fork.id).origin.source_id is None  # not OpenCode's session (yet)
    result = await SessionRuntime(engine, fork.id).send("another way")
    assert result.outcome == "success", result.error
    serve, request, run = (json.loads(line) for line in opencode.read_text().splitlines())
    assert serve["argv"][:1] == ["serve"] and "--port" in serve["argv"]
    assert request["path"].startswith("/session/ses_a/fork")
    assert request["body"] == {"messageID": "msg_2"}  # OpenCode copies what is before it
    assert run["argv"][3:7] == [
        "--model",
        "anthropic/claude-opus-4-5",
        "--session",
        "ses_forked_at",
    ]
    assert "--fork" not in run["argv"]
    assert engine.session(fork.id).origin.source_id == "ses_forked_at"
    assert engine.session(sid).origin.source_id == "ses_a"


async def test_a_refused_opencode_fork_says_so_and_sends_nothing(
    engine: Engine, opencode: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_OPENCODE_FORK", "refuse")
    sid = _imported_from_storage(engine, tmp_path / "oc")
    fork = engine.fork(sid, at=engine.transcript(sid)[0].id)
    before = len(engine.transcript(fork.id))
    result = await SessionRuntime(engine, fork.id).send("another way")
    assert result.outcome == "error" and "OpenCode could not fork there" in (result.error or "")
    assert "404" in (result.error or "")
    assert not any(
        json.loads(x).get("argv", [""])[0] == "run" for x in opencode.read_text().splitlines()
    )
    assert len(engine.transcript(fork.id)) == before  # nothing was written
