"""`forktree send` for scripts: --json prints the turn's result, --stream-json every event
as a JSON line, exit codes tell the outcome, and --max-turns / --max-budget-usd bound a
tool loop (through a local fake OpenAI-compatible server that asks for tool calls)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import openai_calls, openai_text
from tui.cli import main
from tui.engine import Engine


def _calls(n: int, prompt_tokens: int = 0, completion_tokens: int = 0) -> list[bytes]:
    chunks = openai_calls([(f"c{n}", "list_dir", {"path": "."})])
    if prompt_tokens:
        usage = {"choices": [], "usage": {"prompt_tokens": prompt_tokens,
                                          "completion_tokens": completion_tokens}}  # fmt: skip
        chunks.insert(-1, f"data: {json.dumps(usage)}\n\n".encode())
    return chunks


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    with FakeServer() as srv:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-scripted-test-key")
        monkeypatch.setenv("OPENAI_BASE_URL", f"{srv.url}/v1")
        yield srv


@pytest.fixture
def sid(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # the tools' folder
    return engine.new_session(provider="openai", model="gpt-4o-mini").id


def test_json_prints_one_result_object(
    server: FakeServer, sid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(Reply(chunks=openai_text(["Hello", " there"])))
    assert main(["send", sid, "hi", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["type"] == "result" and result["subtype"] == "success"
    assert result["result"] == "Hello there" and result["is_error"] is False
    assert result["session_id"] == sid and result["num_turns"] == 1


def test_stream_json_prints_every_event_as_a_line(
    server: FakeServer, sid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(Reply(chunks=_calls(1)), Reply(chunks=openai_text(["done"])))
    assert main(["send", sid, "look around", "--stream-json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kinds = [e["type"] for e in events]
    result = next(e for e in events if e["type"] == "result")
    assert result["subtype"] == "success" and result["tool_calls"] == 1
    for kind in ("state", "turn_started", "tool_call", "tool_result", "reply_started", "text"):
        assert kind in kinds, kind
    assert kinds.index("tool_call") < kinds.index("tool_result") < kinds.index("text")


def test_max_turns_two_stops_after_two_rounds(
    server: FakeServer, sid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(*(Reply(chunks=_calls(i)) for i in range(5)))
    assert main(["send", sid, "loop", "--json", "--max-turns", "2"]) == 4
    result = json.loads(capsys.readouterr().out)
    assert result["subtype"] == "error_max_turns" and result["num_turns"] == 2
    assert len(server.seen) == 2


def test_max_budget_stops_a_tool_loop_mid_way(
    server: FakeServer, sid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # each reply costs ~$0.00105 at gpt-4o-mini prices; the next could cost ~$0.0025
    server.script(*(Reply(chunks=_calls(i, 5000, 500)) for i in range(5)))
    assert main(["send", sid, "spend", "--json", "--max-budget-usd", "0.003"]) == 4
    result = json.loads(capsys.readouterr().out)
    assert result["subtype"] == "error_max_budget_usd" and "budget" in result["error"]
    assert len(server.seen) == 1  # the first reply ran; the second would pass the budget
    # the budget is per prompt: the next prompt may spend it again (one more request)
    capsys.readouterr()
    assert main(["send", sid, "once more", "--json", "--max-budget-usd", "0.003"]) == 4
    assert len(server.seen) == 2
    assert "$0.0010 spent of $0.0030" in json.loads(capsys.readouterr().out)["error"]


def test_an_error_exits_1_and_bad_limits_exit_2(
    server: FakeServer, sid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(Reply(400, [b'{"error": {"message": "nope"}}']))
    assert main(["send", sid, "hi", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["subtype"] == "error"
    with pytest.raises(SystemExit) as bad:
        main(["send", sid, "hi", "--max-turns", "0"])
    assert bad.value.code == 2


def test_each_turn_records_its_own_result_on_its_last_reply(
    server: FakeServer, sid: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(Reply(chunks=openai_text(["first"])))
    assert main(["send", sid, "one", "--json"]) == 0
    capsys.readouterr()
    server.script(Reply(chunks=_calls(1, 1000, 100)), Reply(chunks=_calls(2, 2000, 200)),
                  Reply(chunks=openai_text(["second"])))  # fmt: skip
    assert main(["send", sid, "two", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    transcript = engine.transcript(sid)
    records = [m.result for m in transcript if m.result is not None]
    assert len(records) == 2  # one per turn, on its last reply
    second = records[-1]
    assert second.subtype == "success" and second.turns == 3 and second.tool_calls == 2
    assert second.input_tokens == 3009 and second.output_tokens == 301  # the text: 9 + 1
    assert transcript[-1].result == second and second.cost_usd and second.cost_usd > 0
    assert "✓ done · 3 requests · 2 tool calls · 3.0k/301 tok" in second.line()
    assert result["num_turns"] == 3 and result["usage"]["input_tokens"] == 3009
