"""API keys never reach the store, logs, exports or screenshots; a misbehaving provider
never freezes the app, and nothing is lost."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_text, openai_text
from tui.app.app import ForktreeApp
from tui.app.screens.main import MainScreen
from tui.cli import main
from tui.engine import Engine, MessageStatus
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.http import RetryPolicy

ANTHROPIC_KEY = "sk-ant-api03-SECRET-canary-7f3a9c"
OPENAI_KEY = "sk-proj-SECRET-canary-55d1e0"


def _all_bytes(*folders: Path) -> bytes:
    return b"".join(p.read_bytes() for f in folders for p in f.rglob("*") if p.is_file())


async def test_keys_never_written_anywhere(
    isolated_env: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with FakeServer() as server:
        server.script(
            Reply(chunks=anthropic_text(["hello ", "there"])),
            Reply(401, [b'{"error":{"message":"bad key"}}']),
            Reply(chunks=openai_text(["fine"])),
        )
        monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
        engine = Engine.open(isolated_env)
        sid = engine.new_session().id
        assert engine.session(sid).provider == "anthropic"
        await engine.send(sid, "hi")
        failed = await engine.send(sid, "again")
        assert failed.status is MessageStatus.ERROR and ANTHROPIC_KEY not in (failed.error or "")
        engine.set_model(sid, "openai", "gpt-4o-mini")
        await engine.send(sid, "and openai")
        out = tmp_path / "exports"
        out.mkdir()
        for fmt in ("md", "json"):
            assert main(["export", sid, "--format", fmt, "-o", str(out / f"s.{fmt}")]) == 0
        assert main(["providers", "--json"]) == 0
        assert main(["show", sid, "--json"]) == 0
        printed = capsys.readouterr()
        app = ForktreeApp(engine, remember_theme=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screenshot = app.export_screenshot()
        assert server.seen[0].headers["x-api-key"] == ANTHROPIC_KEY  # it was really used
    everything = (
        _all_bytes(isolated_env, out, isolated_env.parent / "config")
        + printed.out.encode()
        + printed.err.encode()
        + screenshot.encode()
    )
    for key in (ANTHROPIC_KEY, OPENAI_KEY, "SECRET-canary"):
        assert key.encode() not in everything


async def test_stalling_server_keeps_ui_responsive_and_escape_aborts(isolated_env: Path) -> None:
    with FakeServer() as server:
        # starts the reply, then stalls far longer than the test
        server.script(
            Reply(
                chunks=anthropic_text(["partial ", "reply"] + ["x"] * 50), gap=30, drop_after=None
            )
        )
        engine = Engine.open(
            isolated_env,
            providers=lambda name: AnthropicProvider(
                "k", base_url=server.url, retry=RetryPolicy(attempts=1)
            ),
        )
        sid = engine.new_session(provider="anthropic").id
        app = ForktreeApp(engine, remember_theme=False)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await screen.open_session(sid)
            screen.prompt.post_message(screen.prompt.Submitted("hello?"))
            for _ in range(400):
                await asyncio.sleep(0.01)
                if screen.is_streaming(sid):
                    break
            await pilot.press("ctrl+k")  # the app answers while the provider stalls
            assert type(app.screen).__name__ == "SwitcherScreen"
            await pilot.press("escape")
            await pilot.press("escape")  # abort the stalled reply
            await app.workers.wait_for_complete()
            await pilot.pause()
        reply = engine.transcript(sid)[-1]
        assert reply.status in (MessageStatus.INTERRUPTED, MessageStatus.ERROR)
        assert engine.transcript(sid)[0].text == "hello?"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(chunks=[b"data: \xff\xfe\x00 garbage\n\n", b"event: ???\n\n"]),
        Reply(chunks=anthropic_text(["a", "b", "c"]), drop_after=4),
        Reply(chunks=[anthropic_text(["a"])[0][:25]]),  # closes in the middle of an event
        Reply(503, [b"{}"]),
    ],
)
async def test_broken_streams_are_kept_and_reported(isolated_env: Path, reply: Reply) -> None:
    with FakeServer() as server:
        server.script(reply)
        engine = Engine.open(
            isolated_env,
            providers=lambda name: AnthropicProvider(
                "k", base_url=server.url, retry=RetryPolicy(attempts=2, base=0.01)
            ),
        )
        sid = engine.new_session(provider="anthropic").id
        engine.append(sid, "user", "earlier")
        engine.append(sid, "assistant", "earlier answer")
        result = await engine.send(sid, "now")
    assert result.status in (MessageStatus.ERROR, MessageStatus.INTERRUPTED)
    assert result.error
    texts = [m.text for m in engine.transcript(sid)]
    assert texts[:3] == ["earlier", "earlier answer", "now"]
    assert json.loads(json.dumps(result.to_dict()))["status"] == result.status.value
