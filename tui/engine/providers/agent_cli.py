"""Running an agent's own CLI for one turn (Claude Code, Codex): the prompt on stdin,
its JSON lines mapped to provider events, the process group stopped however it ends."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

import orjson

from tui.engine.providers.base import Capabilities, ProviderRequest
from tui.engine.sessions.events import Done, Failed, ProviderEvent
from tui.engine.sessions.model import Role

LINE_LIMIT = 64 * 1024 * 1024  # tool results can make single lines of many MB
LineMapper = Callable[[bytes], list[ProviderEvent]]


def json_event(line: bytes) -> dict[str, Any] | None:
    """One line of a CLI's JSON output as an object; None for anything else (a log line,
    a broken or non-object value), which the mappers skip."""
    try:
        event = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return event if isinstance(event, dict) else None


def last_prompt(request: ProviderRequest) -> str:
    return next((m.text for m in reversed(request.messages) if m.role is Role.USER), "")


async def run_turn(
    argv: list[str],
    request: ProviderRequest,
    map_line: LineMapper,
    name: str,
    stdin_prompt: bool = True,
) -> AsyncGenerator[ProviderEvent, None]:
    """Run `argv` in the session's folder; each stdout line through `map_line`. The
    prompt goes on stdin unless the CLI takes it in `argv` (then stdin is empty). A run
    that ends before a Done or Failed event says so, with the last line of stderr."""
    cwd = request.cwd if request.cwd and os.path.isdir(request.cwd) else None
    proc = await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        limit=LINE_LIMIT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    finished = False
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(last_prompt(request).encode() if stdin_prompt else b"")
        await proc.stdin.drain()
        proc.stdin.close()
        while line := await proc.stdout.readline():
            for event in map_line(line):
                finished = finished or isinstance(event, Done | Failed)
                yield event
        await proc.wait()
        if not finished:
            err = (await proc.stderr.read()).decode("utf-8", "replace") if proc.stderr else ""
            last = err.strip().splitlines()[-1][:300] if err.strip() else ""
            yield Failed(
                f"{name} exited with code {proc.returncode} before a result"
                + (f": {last}" if last else "")
            )
    finally:
        await stop(proc)


async def stop(proc: asyncio.subprocess.Process) -> None:
    """End the process group cleanly: SIGTERM, then SIGKILL after 2 s."""
    if proc.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 15)
    try:
        await asyncio.wait_for(proc.wait(), 2.0)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
        await proc.wait()


class AgentCLI:
    """A provider that is an agent's own CLI: one process per turn. Subclasses say how
    to call it (`argv`) and how to read its lines (`mapper`, fresh for each turn)."""

    name: str
    label: str  # how messages name the command ("claude", "codex")
    default_model: str
    capabilities: Capabilities
    install_hint: str
    binary_env: str  # the variable that names another binary
    stdin_prompt = True  # False: the prompt is in `argv`

    def __init__(self, binary: str | None = None) -> None:
        self.binary = binary or os.environ.get(self.binary_env, self.label)

    def argv(self, request: ProviderRequest, binary: str) -> list[str]:
        raise NotImplementedError

    def mapper(self) -> LineMapper:
        raise NotImplementedError

    async def stream(self, request: ProviderRequest) -> AsyncGenerator[ProviderEvent, None]:
        binary = shutil.which(self.binary)
        if binary is None:
            yield Failed(self.install_hint)
            return
        turn = run_turn(
            self.argv(request, binary), request, self.mapper(), self.label, self.stdin_prompt
        )
        async with aclosing(turn) as events:
            async for event in events:
                yield event
