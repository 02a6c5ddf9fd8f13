"""A reply is saved on time, not on events, and a SIGTERM or SIGHUP keeps what came."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncGenerator
from pathlib import Path

import pytest

from tui.engine import Engine, MessageStatus
from tui.engine.providers import ProviderRequest
from tui.engine.providers.base import Capabilities
from tui.engine.sessions.events import Done, ProviderEvent, ReplyUpdated, TextDelta


class Stalling:
    """Streams a few words, then goes quiet until told to go on."""

    name = "stalling"
    default_model = "stall-1"
    capabilities = Capabilities()

    def __init__(self) -> None:
        self.go_on = asyncio.Event()

    async def stream(self, request: ProviderRequest) -> AsyncGenerator[ProviderEvent, None]:
        yield TextDelta("words before ")
        yield TextDelta("a long silence")
        await self.go_on.wait()
        yield TextDelta(", and after")
        yield Done()


async def test_a_quiet_stream_is_saved_within_the_interval(isolated_env: Path) -> None:
    provider = Stalling()
    engine = Engine.open(isolated_env, providers=lambda name: provider, flush_interval=0.2)
    sid = engine.new_session().id
    stream = engine.stream(sid, "talk")
    async for event in stream:
        if isinstance(event, ReplyUpdated) and event.event == TextDelta("a long silence"):
            break
    deadline = time.monotonic() + 5
    while True:  # no event arrives now: only the timer can save the text on screen
        on_disk = Engine.open(isolated_env).transcript(sid)[-1]
        if on_disk.text == "words before a long silence" or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    assert on_disk.text == "words before a long silence"
    assert on_disk.status is MessageStatus.STREAMING
    provider.go_on.set()
    async for _ in stream:
        pass
    assert engine.transcript(sid)[-1].text == "words before a long silence, and after"


class Busy:
    """Streams words without a pause (each one waits on the loop, as a network read
    does) until told to stop."""

    name = "busy"
    default_model = "busy-1"
    capabilities = Capabilities()

    def __init__(self) -> None:
        self.stop = False

    async def stream(self, request: ProviderRequest) -> AsyncGenerator[ProviderEvent, None]:
        while not self.stop:
            yield TextDelta("word ")
            await asyncio.sleep(0)
        yield Done()


async def test_a_busy_stream_is_saved_while_it_streams(isolated_env: Path) -> None:
    """Tokens keep coming: the timer still saves what was shown, every interval."""
    provider = Busy()
    engine = Engine.open(isolated_env, providers=lambda name: provider, flush_interval=0.05)
    sid = engine.new_session().id
    deadline = time.monotonic() + 5
    seen, saved = 0, ""
    async for event in engine.stream(sid, "talk"):
        if isinstance(event, ReplyUpdated) and isinstance(event.event, TextDelta):
            seen += 1
            if seen % 50 == 0:
                on_disk = Engine.open(isolated_env).transcript(sid)[-1]
                if on_disk.status is MessageStatus.STREAMING and on_disk.text:
                    saved = on_disk.text
            provider.stop = bool(saved) or time.monotonic() > deadline
    assert saved.startswith("word word")  # on disk while the tokens still came
    assert engine.transcript(sid)[-1].text.split() == ["word"] * seen


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_send_keeps_the_partial_reply(isolated_env: Path, signum: int) -> None:
    engine = Engine.open(isolated_env)
    sid = engine.new_session().id
    env = dict(os.environ, FORKTREE_HOME=str(isolated_env), FORKTREE_ECHO_DELAY="0.01")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "send", sid, " ".join(f"w{i}" for i in range(300))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.read(40)  # the reply has begun
    assert first
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signum, err
    assert "partial reply is kept" in err.decode()
    printed = (first + out).decode().strip()
    reply = Engine.open(isolated_env).transcript(sid)[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text.strip() == printed  # everything shown was saved
