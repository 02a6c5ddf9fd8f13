"""OpenCode's own fork at a message: `opencode serve` for as long as it takes, then its
`POST /session/{id}/fork` with the id of the first message the fork leaves out (OpenCode
copies the messages before it into a new session). `opencode run` forks only at the end."""

from __future__ import annotations

import asyncio
import os
import re
import shutil

import httpx

from tui.engine.providers.agent_cli import stop

LISTENING = re.compile(rb"listening on (https?://\S+)")
START_TIMEOUT = 30.0  # seconds for the server to say where it listens


class OpenCodeForkError(Exception):
    """The fork could not be made; the message says why, for the user."""


async def _address(stream: asyncio.StreamReader) -> str:
    while line := await stream.readline():
        if found := LISTENING.search(line):
            return found.group(1).decode().rstrip("/")
    raise OpenCodeForkError("`opencode serve` ended before it listened")


async def fork_at(binary: str, cwd: str | None, session_id: str, before_message: str) -> str:
    """Fork OpenCode session `session_id` just before `before_message`; the new id."""
    path = shutil.which(binary)
    if path is None:
        raise OpenCodeForkError(f"the `{binary}` command was not found on PATH")
    folder = cwd if cwd and os.path.isdir(cwd) else None
    proc = await asyncio.create_subprocess_exec(
        path, "serve", "--port", "0", "--hostname", "127.0.0.1",
        cwd=folder, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        try:
            url = await asyncio.wait_for(_address(proc.stdout), START_TIMEOUT)
        except TimeoutError:
            raise OpenCodeForkError(
                f"`opencode serve` did not start listening within {START_TIMEOUT:.0f} s"
            ) from None
        async with httpx.AsyncClient(base_url=url, timeout=30, trust_env=False) as client:
            try:
                answer = await client.post(
                    f"/session/{session_id}/fork",
                    json={"messageID": before_message},
                    params={"directory": folder} if folder else None,
                )
            except httpx.HTTPError as exc:
                raise OpenCodeForkError(f"OpenCode's server did not answer: {exc}") from None
        if answer.status_code != 200:
            raise OpenCodeForkError(
                f"OpenCode refused the fork ({answer.status_code}: {answer.text[:200]})"
            )
        data = answer.json()
        new_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(new_id, str) or not new_id:
            raise OpenCodeForkError("OpenCode's fork answer named no session")
        return new_id
    finally:
        await stop(proc)
