"""`forktree send` with tools: questions on the terminal, rejection when nobody is there."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_calls, anthropic_text
from tui.cli import main
from tui.cli.send import ask_on_terminal
from tui.engine import Engine
from tui.engine.sessions.model import Origin
from tui.engine.tools import Decision, PermissionRequest


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    with FakeServer() as srv:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-cli-test-0123456789")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", srv.url)
        yield srv


def test_send_without_a_terminal_rejects_commands(
    server: FakeServer, engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(
        Reply(chunks=anthropic_calls([("s", "run_command", {"command": "touch ran"})], "On it.")),
        Reply(chunks=anthropic_text(["I was not allowed."])),
    )
    sid = engine.new_session(provider="anthropic", origin=Origin(cwd=str(tmp_path))).id
    engine.close()
    code = main(["send", sid, "touch it"])
    out, err = capsys.readouterr()
    assert code == 0 and out == "On it.I was not allowed.\n"
    assert "⚙ run_command {'command': 'touch ran'}" in err
    assert "✗ the user rejected this call: no one was there to approve it" in err
    assert not (tmp_path / "ran").exists()


def test_no_tools_flag_offers_none(
    server: FakeServer, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(Reply(chunks=anthropic_text(["Plain."])))
    sid = engine.new_session(provider="anthropic").id
    engine.close()
    assert main(["send", sid, "hi", "--no-tools"]) == 0
    assert "tools" not in server.seen[0].body


def _request(name: str, data: dict[str, object]) -> PermissionRequest:
    return PermissionRequest("s", "t", name, data, "run `make`", True, "/work")


@pytest.mark.parametrize(
    ("typed", "decision", "reason"),
    [
        ("y\n", Decision.ALLOW_ONCE, ""),
        ("maybe\na\n", Decision.ALLOW_ALWAYS, ""),
        ("n\ntoo risky\n", Decision.REJECT, "too risky"),
        ("", Decision.REJECT, "no answer"),
    ],
)
async def test_terminal_questions(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    typed: str,
    decision: Decision,
    reason: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    verdict = await ask_on_terminal(_request("run_command", {"command": "make"}))
    assert (verdict.decision, verdict.reason) == (decision, reason)
    err = capsys.readouterr().err
    assert "run_command wants to run `make`  (in /work)" in err and "$ make" in err
