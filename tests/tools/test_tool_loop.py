"""The agent loop against the fake HTTP servers: the model calls tools, the runtime asks,
runs, records and sends the results back, until the model stops or a limit is hit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_calls, anthropic_text, openai_calls, openai_text
from tui.engine import Engine
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.http import RetryPolicy
from tui.engine.providers.openai import OpenAIProvider
from tui.engine.sessions.events import ReplyUpdated, ToolOutput
from tui.engine.sessions.model import MessageStatus, Origin, Role, ToolResultPart
from tui.engine.tools import Decision, PermissionPolicy, PermissionRequest, Verdict
from tui.engine.turns.runtime import (
    RunSettings,
    RunState,
    RuntimeEvent,
    SessionRuntime,
    StateChanged,
)
from tui.engine.turns.streaming import UNRUN, model_context
from tui.engine.turns.tool_step import ToolSetup

NO_RETRY = RetryPolicy(attempts=1)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as srv:
        yield srv


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("buy milk\n")
    return work


class Approver:
    """Answers permission prompts from a script and remembers what it was asked."""

    def __init__(self, *answers: Verdict) -> None:
        self.answers = list(answers)
        self.asked: list[PermissionRequest] = []

    async def __call__(self, request: PermissionRequest) -> Verdict:
        self.asked.append(request)
        return self.answers.pop(0) if self.answers else Verdict(Decision.REJECT, "no")


class Run:
    def __init__(self, engine: Engine, sid: str, setup: ToolSetup, **settings: Any) -> None:
        self.events: list[RuntimeEvent] = []
        self.runtime = SessionRuntime(
            engine, sid, RunSettings(**settings), listener=self.listen, tools=setup
        )
        self.engine = engine
        self.sid = sid

    async def listen(self, event: RuntimeEvent) -> None:
        self.events.append(event)

    @property
    def transcript(self):  # type: ignore[no-untyped-def]
        return self.engine.transcript(self.sid)


def _engine(engine: Engine, server: FakeServer, kind: str = "anthropic") -> Engine:
    def build(name: str):  # type: ignore[no-untyped-def]
        if kind == "anthropic":
            return AnthropicProvider("sk-test", base_url=server.url, retry=NO_RETRY)
        return OpenAIProvider("sk-test", base_url=server.url, retry=NO_RETRY)

    return Engine(engine.store, providers=build)


def _session(engine: Engine, folder: Path, kind: str = "anthropic") -> str:
    return engine.new_session(provider=kind, origin=Origin(cwd=str(folder))).id


def _setup(approver: Approver | None = None, **kw: Any) -> ToolSetup:
    policy = PermissionPolicy(kw.pop("auto_allow", ()))
    return ToolSetup(policy=policy, approver=approver or Approver(), **kw)


async def test_single_call_result_goes_back_and_the_model_answers(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    server.script(
        Reply(chunks=anthropic_calls([("t1", "read_file", {"path": "notes.txt"})], "Looking.")),
        Reply(chunks=anthropic_text(["You need ", "milk."])),
    )
    eng = _engine(engine, server)
    run = Run(eng, _session(eng, folder), _setup(auto_allow=["read_file"]))
    result = await run.runtime.send("what do I need?")
    assert result.outcome == "success" and result.text == "You need milk."
    _user, calling, answer = run.transcript
    assert calling.parts[-1] == ToolResultPart(
        "t1", "buy milk\n", exit_code=None, duration_s=calling.parts[-1].duration_s
    )
    assert answer.role is Role.ASSISTANT and answer.parent_id == calling.id
    first, second = (seen.body for seen in server.seen)
    names = ["read_file", "list_dir", "search_files", "write_file", "edit_file", "run_command"]
    assert [t["name"] for t in first["tools"]] == names
    assert second["messages"][-1] == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": "buy milk\n", "is_error": False}
        ],
    }


async def test_parallel_calls_all_run_and_return_together(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    (folder / "todo.txt").write_text("call mum\n")
    server.script(
        Reply(
            chunks=openai_calls(
                [
                    ("a", "read_file", {"path": "notes.txt"}),
                    ("b", "read_file", {"path": "todo.txt"}),
                ]
            )
        ),
        Reply(chunks=openai_text(["Milk, and call mum."])),
    )
    eng = _engine(engine, server, "openai")
    run = Run(eng, _session(eng, folder, "openai"), _setup(auto_allow=["read_file"]))
    result = await run.runtime.send("plans?")
    assert result.text == "Milk, and call mum."
    sent = server.seen[1].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool", "tool"]
    assert [(m["tool_call_id"], m["content"]) for m in sent[2:]] == [
        ("a", "buy milk\n"),
        ("b", "call mum\n"),
    ]
    assert server.seen[0].body["tools"][0]["function"]["name"] == "read_file"


async def test_a_failing_tool_is_an_error_result_and_the_loop_goes_on(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    server.script(
        Reply(chunks=anthropic_calls([("t1", "read_file", {"path": "nope.txt"})])),
        Reply(chunks=anthropic_text(["That file is missing."])),
    )
    eng = _engine(engine, server)
    run = Run(eng, _session(eng, folder), _setup(auto_allow=["read_file"]))
    result = await run.runtime.send("read nope")
    assert result.outcome == "success"
    sent = server.seen[1].body["messages"][-1]["content"][0]
    assert sent["is_error"] is True and sent["content"] == "nope.txt: no such file"


async def test_a_rejected_call_never_runs_and_the_reason_reaches_the_model(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    server.script(
        Reply(chunks=anthropic_calls([("w", "write_file", {"path": "x.txt", "content": "hi"})])),
        Reply(chunks=anthropic_text(["OK, I will not."])),
    )
    eng = _engine(engine, server)
    approver = Approver(Verdict(Decision.REJECT, "not now"))
    run = Run(eng, _session(eng, folder), _setup(approver))
    result = await run.runtime.send("write x")
    assert result.outcome == "success" and not (folder / "x.txt").exists()
    asked = approver.asked[0]
    assert (asked.name, asked.summary, asked.writes) == ("write_file", "write x.txt", True)
    assert asked.folder == str(folder)
    sent = server.seen[1].body["messages"][-1]["content"][0]
    assert sent["content"] == "the user rejected this call: not now" and sent["is_error"]
    states = [e.new for e in run.events if isinstance(e, StateChanged)]
    assert RunState.WAITING_TOOL in states
    assert states.index(RunState.WAITING_TOOL) < states.index(RunState.COMPLETED)


async def test_a_shell_command_never_runs_without_an_explicit_allow(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    server.script(
        Reply(chunks=anthropic_calls([("s", "run_command", {"command": "touch ran"})])),
        Reply(chunks=anthropic_text(["Done."])),
    )
    eng = _engine(engine, server)
    # settings cannot pre-allow a command: run_command in auto_allow is still asked
    approver = Approver()
    run = Run(eng, _session(eng, folder), _setup(approver, auto_allow=["run_command"]))
    await run.runtime.send("touch it")
    assert len(approver.asked) == 1 and not (folder / "ran").exists()


async def test_allow_always_asks_once_and_streams_shell_output(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    call = ("s1", "run_command", {"command": "echo hello; exit 2"})
    server.script(
        Reply(chunks=anthropic_calls([call])),
        Reply(chunks=anthropic_calls([("s2", "run_command", {"command": "echo again"})])),
        Reply(chunks=anthropic_text(["All done."])),
    )
    eng = _engine(engine, server)
    approver = Approver(Verdict(Decision.ALLOW_ALWAYS))
    run = Run(eng, _session(eng, folder), _setup(approver))
    result = await run.runtime.send("run things")
    assert result.text == "All done." and len(approver.asked) == 1
    first = run.transcript[1].parts[-1]
    assert (first.exit_code, first.is_error, first.content) == (2, True, "hello\n\n[exit code 2]")
    streamed = [
        e.event.text
        for e in run.events
        if isinstance(e, ReplyUpdated) and isinstance(e.event, ToolOutput)
    ]
    assert streamed == ["hello\n", "again\n"]
    stored = eng.transcript(run.sid)[2].parts[-1]  # saved like any part
    assert stored.exit_code == 0 and stored.duration_s is not None


async def test_the_loop_stops_at_the_round_limit(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    server.script(Reply(chunks=anthropic_calls([("l", "list_dir", {})])))  # forever
    eng = _engine(engine, server)
    run = Run(eng, _session(eng, folder), _setup(auto_allow=["list_dir"], max_rounds=2))
    result = await run.runtime.send("loop")
    assert result.outcome == "error"
    assert result.error == (
        "stopped: the limit of 2 tool rounds was reached; send a message to go on"
    )
    replies = [m for m in run.transcript if m.role is Role.ASSISTANT]
    assert len(replies) == 3 and len(server.seen) == 3
    last = replies[-1].parts[-1]
    assert last.is_error and last.content.startswith("not run: the limit of 2")
    assert run.runtime.state is RunState.READY


async def test_max_turns_also_ends_the_loop(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    server.script(Reply(chunks=anthropic_calls([("l", "list_dir", {})])))
    eng = _engine(engine, server)
    run = Run(eng, _session(eng, folder), _setup(auto_allow=["list_dir"]), max_turns=2)
    result = await run.runtime.send("loop")
    assert result.outcome == "error" and "max turns reached (2 of 2)" in (result.error or "")
    assert len(server.seen) == 2


async def test_abort_during_a_command_kills_it_and_answers_the_call(
    engine: Engine, server: FakeServer, folder: Path
) -> None:
    server.script(
        Reply(chunks=anthropic_calls([("s", "run_command", {"command": "echo go; sleep 30"})]))
    )
    eng = _engine(engine, server)
    run = Run(eng, _session(eng, folder), _setup(Approver(Verdict(Decision.ALLOW_ONCE))))

    async def listen(event: RuntimeEvent) -> None:
        if isinstance(event, ReplyUpdated) and isinstance(event.event, ToolOutput):
            run.runtime.abort()

    run.runtime.listener = listen
    started = time.monotonic()
    result = await run.runtime.send("wait")
    assert time.monotonic() - started < 10
    assert result.outcome == "interrupted"
    answer = run.transcript[-1].parts[-1]
    assert answer.content == "not run: the user stopped the turn" and answer.is_error
    assert run.transcript[-1].status is MessageStatus.COMPLETE


def test_calls_left_without_results_are_answered_for_the_model(
    engine: Engine, folder: Path
) -> None:
    from tui.engine.sessions.model import ToolUsePart

    sid = _session(engine, folder)
    engine.append(sid, Role.USER, "hi")
    engine.append(sid, Role.ASSISTANT, parts=(ToolUsePart("x", "list_dir", {}),))
    engine.append(sid, Role.USER, "hello?")
    sent = model_context(engine.transcript(sid))
    assert sent[1].parts[-1] == ToolResultPart("x", UNRUN, is_error=True)
    assert engine.transcript(sid)[1].pending_calls()  # the store is left as it was
