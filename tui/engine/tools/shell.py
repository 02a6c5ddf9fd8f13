"""The shell tool: runs one command in the session's folder, streaming its output.
It always needs the user's explicit allow; the folder is where it starts, not a cage."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import shutil
import signal
from typing import Any

from tui.engine.tools.base import Tool, ToolContext, ToolOutcome, ToolSpec, arg_int, arg_str

KEEP_HEAD = 40_000  # characters kept from the start and from the end of long output
KEEP_TAIL = 40_000
MAX_TIMEOUT = 3600


class _Collector:
    """Keeps the head and the tail of a long output, dropping the middle."""

    def __init__(self) -> None:
        self.head: list[str] = []
        self.head_size = 0
        self.tail = ""
        self.dropped = 0

    def add(self, text: str) -> None:
        if self.head_size < KEEP_HEAD:
            take = text[: KEEP_HEAD - self.head_size]
            self.head.append(take)
            self.head_size += len(take)
            text = text[len(take) :]
        if text:
            self.tail += text
            if len(self.tail) > KEEP_TAIL:
                self.dropped += len(self.tail) - KEEP_TAIL
                self.tail = self.tail[-KEEP_TAIL:]

    def text(self) -> str:
        middle = f"\n[… {self.dropped:,} characters left out …]\n" if self.dropped else ""
        return "".join(self.head) + middle + self.tail


def _kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # the command and everything it started


async def run_command(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    command = arg_str(args, "command")
    timeout = arg_int(args, "timeout", int(ctx.shell_timeout), 1, MAX_TIMEOUT)
    shell = shutil.which("bash") or "/bin/sh"
    proc = await asyncio.create_subprocess_exec(
        shell,
        "-c",
        command,
        cwd=ctx.workspace.root,
        env=dict(ctx.env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    assert proc.stdout is not None
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    out = _Collector()
    timed_out = False
    try:
        async with asyncio.timeout(timeout):
            while chunk := await proc.stdout.read(4096):
                text = decoder.decode(chunk)
                if text:
                    out.add(text)
                    await ctx.on_output(text)
            await proc.wait()
    except TimeoutError:
        timed_out = True
    finally:
        _kill(proc)  # on a timeout, an abort or an error
    if timed_out:
        await proc.wait()
        out.add(f"\n[timed out after {timeout} s; the command was killed]")
        return ToolOutcome(out.text(), is_error=True, exit_code=proc.returncode)
    code = proc.returncode if proc.returncode is not None else -1
    tail = decoder.decode(b"", final=True)
    if tail:
        out.add(tail)
    return ToolOutcome(f"{out.text()}\n[exit code {code}]".lstrip("\n"), code != 0, code)


SHELL_TOOL = Tool(
    ToolSpec(
        "run_command",
        "Run a shell command in the session's folder and return its output (stdout and "
        "stderr together) and exit code. The user approves every command.",
        {
            "type": "object",
            "properties": {
                "command": {"type": "string"},
                "timeout": {"type": "integer", "description": "seconds (default 120)"},
            },
            "required": ["command"],
        },
    ),
    run_command,
    writes=True,
    describe=lambda a: f"run `{a.get('command', '')}`",
)
