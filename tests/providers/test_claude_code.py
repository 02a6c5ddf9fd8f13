"""The Claude Code backend against a fake `claude` executable replaying stream-json."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from tests.fakes import imported_session, put_on_path
from tui.engine import Engine, MessageStatus
from tui.engine.providers.claude_code import INSTALL_HINT
from tui.engine.sessions.events import ReplyUpdated, TextDelta
from tui.engine.sessions.model import ToolResultPart, ToolUsePart
from tui.engine.turns.runtime import SessionRuntime


@pytest.fixture
def claude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `claude` on PATH that runs the fake; returns the log file of its runs."""
    return put_on_path("claude", tmp_path, monkeypatch)


def _runs(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def _imported(engine: Engine, cwd: Path) -> str:
    return imported_session(engine, "claude_code", "cc-original", cwd)


async def test_resume_maps_events_and_records_the_result(
    engine: Engine, claude: Path, tmp_path: Path
) -> None:
    sid = _imported(engine, tmp_path)
    result = await SessionRuntime(engine, sid).send("continue please")
    assert result.outcome == "success" and result.text == "You asked: continue please"
    assert result.cost_usd == 0.0123 and result.input_tokens == 100
    assert result.output_tokens == 20
    (run,) = _runs(claude)
    assert run["argv"][:5] == [
        "-p",
        "--output-format",
        "stream-json",
        "--verbose",
        "--resume=cc-original",
    ]
    assert run["stdin"] == "continue please" and run["cwd"] == str(tmp_path)
    reply = engine.transcript(sid)[-1]
    assert reply.thinking == "Plan it." and "SUBAGENT" not in reply.text
    kinds = [type(p) for p in reply.parts]
    assert ToolUsePart in kinds and ToolResultPart in kinds
    assert engine.session(sid).origin.source_id == "cc-original"


async def test_fork_passes_fork_session_and_binds_the_new_id(
    engine: Engine, claude: Path, tmp_path: Path
) -> None:
    sid = _imported(engine, tmp_path)
    fork = engine.fork(sid, title="try another way")
    assert fork.origin.fork_pending
    await SessionRuntime(engine, fork.id).send("other way")
    assert "--fork-session" in _runs(claude)[0]["argv"]
    bound = engine.session(fork.id).origin
    assert bound.source_id == "fork-new-id" and not bound.fork_pending
    assert engine.session(sid).origin.source_id == "cc-original"  # parent untouched
    await SessionRuntime(engine, fork.id).send("again")
    assert _runs(claude)[1]["argv"][4] == "--resume=fork-new-id"
    assert "--fork-session" not in _runs(claude)[1]["argv"]


async def test_fork_before_the_end_cannot_continue_in_claude_code(
    engine: Engine, claude: Path, tmp_path: Path
) -> None:
    sid = _imported(engine, tmp_path)
    early = engine.fork(sid, at=engine.transcript(sid)[0].id)
    result = await SessionRuntime(engine, early.id).send("hi")
    assert result.outcome == "error" and "only continue a session from its end" in (
        result.error or ""
    )
    assert not claude.exists()  # claude never ran


@pytest.mark.parametrize(
    "scenario, message",
    [
        ("error_result", "max turns reached"),
        ("is_error_success", "API Error: 529 overloaded"),
        ("crash", "exited with code 3 before a result: fatal: something broke"),
    ],
)
async def test_failures_are_clear(
    engine: Engine,
    claude: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    scenario: str,
    message: str,
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_SCENARIO", scenario)
    sid = _imported(engine, tmp_path)
    result = await SessionRuntime(engine, sid).send("go")
    assert result.outcome in ("error", "interrupted") and message in (result.error or "")
    assert engine.transcript(sid)[-1].status in (MessageStatus.ERROR, MessageStatus.INTERRUPTED)


async def test_missing_binary_says_how_to_install(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    sid = _imported(engine, tmp_path)
    result = await SessionRuntime(engine, sid).send("go")
    assert result.outcome == "error" and result.error == INSTALL_HINT


async def test_abort_kills_the_subprocess(
    engine: Engine, claude: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_SCENARIO", "slow")
    sid = _imported(engine, tmp_path)
    seen = asyncio.Event()

    async def listener(event: object) -> None:
        if isinstance(event, ReplyUpdated) and isinstance(event.event, TextDelta):
            seen.set()

    runtime = SessionRuntime(engine, sid, listener=listener)
    task = asyncio.ensure_future(runtime.send("long job"))
    await asyncio.wait_for(seen.wait(), 20)
    runtime.abort()
    result = await asyncio.wait_for(task, 10)
    assert result.outcome == "interrupted"
    pid = _runs(claude)[0]["pid"]
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid), 0)  # the process is gone (reaped)
    assert engine.transcript(sid)[-1].status is MessageStatus.INTERRUPTED


async def test_fork_anywhere_continues_natively_in_a_new_claude_code_transcript(
    engine: Engine, claude: Path, tmp_path: Path
) -> None:
    from tests.importers.cc_fixture import SID, Transcript, text, tool_use
    from tui.engine.importers.claude_code import ClaudeCodeImporter

    t = Transcript(cwd=str(tmp_path))
    u1 = t.user("first question", None)
    a1 = t.assistant([text("first answer"), tool_use("toolu_1", "Read", {"file_path": "x"})],
                     u1, "msg_1")  # fmt: skip
    r1 = t.result("toolu_1", "contents", a1)
    a1b = t.assistant([text("read it")], r1, "msg_1b")
    t._base("user", a1b, isSidechain=True, message={"role": "user", "content": "side"})
    u2 = t.user("second question", a1b)
    t.assistant([text("second answer")], u2, "msg_2")
    source = t.write(tmp_path / "projects" / "p" / f"{SID}.jsonl")
    before = source.read_bytes()
    ClaudeCodeImporter(engine).run(tmp_path / "projects")
    main_session = next(s for s in engine.sessions() if s.parent_session_id is None)
    imported = len(engine.sessions())
    transcript = engine.transcript(main_session.id)
    point = next(m for m in transcript if m.text == "read it")
    fork = engine.fork(main_session.id, at=point.id, title="try another way")
    result = await SessionRuntime(engine, fork.id).send("go on differently")
    assert result.outcome == "success", result.error
    bound = engine.session(fork.id).origin
    new_file = Path(bound.source_path or "")
    assert new_file.parent == source.parent and new_file.stem == bound.source_id
    assert _runs(claude)[0]["argv"].count(f"--resume={bound.source_id}") == 1
    assert oct(new_file.stat().st_mode & 0o777) == "0o600"
    assert source.read_bytes() == before  # the source is never touched
    written = [json.loads(line) for line in new_file.read_text().splitlines()]
    records = [r for r in written if r.get("uuid")]
    assert {r["sessionId"] for r in written} == {bound.source_id}
    assert not any(r.get("isSidechain") for r in records)
    old_uuids = {r["uuid"] for r in t.lines}
    assert not any(r["uuid"] in old_uuids for r in records)  # every uuid is new
    uuids = [r["uuid"] for r in records]
    assert records[0]["parentUuid"] is None
    assert all(r["parentUuid"] in uuids for r in records[1:])  # remapped consistently
    assert all(r["forkedFrom"] == {"sessionId": SID, "messageUuid": a1b} for r in records)
    texts = json.dumps(records)
    assert "read it" in texts and "second question" not in texts  # up to the fork point
    assert written[-1] == {"type": "custom-title", "customTitle": "try another way",
                           "sessionId": bound.source_id}  # fmt: skip
    report = ClaudeCodeImporter(engine).run(tmp_path / "projects").to_dict()
    assert report["imported"] == 0  # the fork's file does not come in twice
    assert len(engine.sessions()) == imported + 1


async def test_a_cut_between_a_tool_call_and_its_result_is_refused(
    engine: Engine, claude: Path, tmp_path: Path
) -> None:
    from tests.importers.cc_fixture import SID, Transcript, text, tool_use
    from tui.engine.importers.claude_code import ClaudeCodeImporter

    t = Transcript(cwd=str(tmp_path))
    u1 = t.user("q", None)
    a1 = t.assistant([text("calling"), tool_use("toolu_9", "Bash", {"command": "ls"})], u1, "m1")
    u2 = t.user("interrupting before the result", a1)
    t.assistant([text("ok")], u2, "m2")
    t.write(tmp_path / "projects" / "p" / f"{SID}.jsonl")
    ClaudeCodeImporter(engine).run(tmp_path / "projects")
    (session,) = engine.sessions()
    calling = next(m for m in engine.transcript(session.id) if m.text == "calling")
    fork = engine.fork(session.id, at=calling.id)
    result = await SessionRuntime(engine, fork.id).send("hi")
    assert result.outcome == "error" and "between a tool call and its result" in (
        result.error or ""
    )
    assert not claude.exists()


REAL = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "claude_code"


async def test_fork_of_a_real_transcript_goes_on_in_claude_code(
    engine: Engine, claude: Path, tmp_path: Path
) -> None:
    """A real Claude Code 1.0 transcript (inline subagents, split replies, tool results):
    fork it at an earlier assistant message and send through the fake `claude`."""
    from tui.engine.importers.claude_code import ClaudeCodeImporter

    real = REAL / "fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl"
    if not real.is_file():
        pytest.skip("../shared/fixtures/claude_code is not beside this checkout")
    source = tmp_path / "projects" / "-path-to-Demo" / real.name
    source.parent.mkdir(parents=True)
    source.write_bytes(real.read_bytes())
    original = [json.loads(line) for line in real.read_text().splitlines()]
    ClaudeCodeImporter(engine).run(tmp_path / "projects")
    main_session = next(s for s in engine.sessions() if s.origin.source_id == real.stem)
    transcript = engine.transcript(main_session.id)
    replies = [m for m in transcript if m.role.value == "assistant" and m.text]
    point = replies[1]  # an earlier reply, well before the end
    assert point.id != transcript[-1].id
    fork = engine.fork(main_session.id, at=point.id, title="fork of the demo")
    result = await SessionRuntime(engine, fork.id).send("take another route")
    assert result.outcome == "success", result.error
    bound = engine.session(fork.id).origin
    assert _runs(claude)[0]["argv"].count(f"--resume={bound.source_id}") == 1
    written = [json.loads(line) for line in Path(bound.source_path or "").read_text().splitlines()]
    records = [r for r in written if r.get("uuid")]
    # the prefix: the main thread's records up to the fork point, in order, no sidechain
    by_uuid = {r["uuid"]: r for r in original if r.get("uuid")}
    cut = records[-1]["forkedFrom"]["messageUuid"]
    chain, at = [], cut
    while at:  # the source's own parent chain from the fork point back to its start
        chain.append(at)
        at = by_uuid[at].get("parentUuid") or by_uuid[at].get("logicalParentUuid")
    chain.reverse()
    assert len(chain) >= 4 and len(records) >= len(chain)
    assert not any(r.get("isSidechain") for r in records)
    assert [r["message"] for r in records[: len(chain)]] == [
        by_uuid[u]["message"] for u in chain
    ]  # the same content, the source's order
    new = {r["uuid"] for r in records}
    assert not new & set(by_uuid)  # every uuid replaced
    assert records[0]["parentUuid"] is None
    assert all(r["parentUuid"] in new for r in records[1:])  # the chain is intact
    assert {r["sessionId"] for r in written} == {bound.source_id} != {real.stem}
    assert {r["forkedFrom"]["sessionId"] for r in records} == {real.stem}
    assert source.read_bytes() == real.read_bytes()
