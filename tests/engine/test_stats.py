"""`forktree stats`: a session's counts, its branch's since the fork point, its family's."""

from __future__ import annotations

import json

import pytest

from tui.cli import main
from tui.engine import Engine
from tui.engine.explore.stats import session_stats
from tui.engine.providers import EchoProvider
from tui.engine.sessions.model import ToolResultPart, ToolUsePart, Usage


def test_counts_for_session_branch_and_family(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = engine.new_session(title="root").id
    engine.append(sid, "user", "list the files")
    engine.append(
        sid, "assistant",
        parts=[ToolUsePart("t1", "list_dir", {}), ToolResultPart("t1", "a.txt")],
        usage=Usage(100, 10, 0.001),
    )  # fmt: skip
    engine.append(
        sid, "assistant",
        parts=[ToolUsePart("t2", "read_file", {}), ToolResultPart("t2", "no", is_error=True)],
        usage=Usage(200, 20, 0.002),
    )  # fmt: skip
    fork = engine.fork(sid).id
    engine.append(fork, "user", "and again")
    engine.append(fork, "assistant", "done", usage=Usage(50, 5, 0.0005))
    stats = session_stats(engine, fork)
    assert stats["session"]["messages"] == 5 and stats["session"]["steps"] == 3
    assert stats["session"]["tool_calls"] == 2 and stats["session"]["tool_errors"] == 1
    assert stats["session"]["per_tool"] == {"list_dir": 1, "read_file": 1}
    assert stats["branch"]["messages"] == 2 and stats["branch"]["tool_calls"] == 0
    assert stats["branch"]["input_tokens"] == 50
    assert stats["family"]["messages"] == 5 and stats["family"]["sessions"] == 2
    assert stats["session"]["cost_usd"] == pytest.approx(0.0035)
    assert main(["stats", fork[:8], "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == stats


async def test_stats_of_a_streamed_turn(engine: Engine) -> None:
    echo = Engine(engine.store, providers=lambda name: EchoProvider(delay=0))
    sid = echo.new_session().id
    await echo.send(sid, "hello")
    stats = session_stats(echo, sid)["session"]
    assert stats["prompts"] == 1 and stats["steps"] == 1 and stats["output_tokens"] > 0
