"""MCP servers as tool sources: each configured server runs over stdio (through the
official `mcp` SDK), and its tools are offered as `mcp__SERVER__TOOL`. Every MCP call
is asked for, like the tools that write: the server runs code we cannot see."""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tui.engine.config.settings import MCPServerSettings
from tui.engine.tools.base import Tool, ToolContext, ToolOutcome, ToolSpec
from tui.engine.tools.workspace import ToolError

START_TIMEOUT = 30.0
NAME_CHARS = re.compile(r"[^a-zA-Z0-9_-]")


def tool_name(server: str, tool: str) -> str:
    """A name every provider accepts (letters, digits, _ and -; at most 64)."""
    return NAME_CHARS.sub("_", f"mcp__{server}__{tool}")[:64]


def _leaf(exc: BaseException) -> BaseException:
    """The first real error inside (possibly nested) exception groups."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _block_text(block: Any) -> str:
    kind = getattr(block, "type", "")
    if kind == "text":
        return str(block.text)
    if kind in ("image", "audio"):
        return f"[{kind}: {getattr(block, 'mime_type', '?')}]"
    if kind == "resource_link":
        return f"[resource: {getattr(block, 'uri', '')}]"
    if kind == "resource":
        resource = block.resource
        return str(getattr(resource, "text", None) or f"[resource: {resource.uri}]")
    return f"[{kind or 'content'}]"


class MCPServer:
    """One running MCP server: started by `start()`, kept in its own task until `close()`."""

    def __init__(self, settings: MCPServerSettings, log_dir: Path) -> None:
        self.settings = settings
        self.name = settings.name
        self.log_path = log_dir / f"mcp-{NAME_CHARS.sub('_', settings.name)}.log"
        self.tools: list[Tool] = []
        self.error: str | None = None
        self._session: Any = None
        self._ready = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def _params(self) -> Any:
        from mcp import StdioServerParameters

        env = dict(self.settings.env)
        env.update({k: os.environ[k] for k in self.settings.pass_env if k in os.environ})
        return StdioServerParameters(
            command=self.settings.command,
            args=list(self.settings.args),
            env=env or None,
            cwd=self.settings.cwd,
        )

    async def start(self, timeout: float = START_TIMEOUT) -> None:
        """Launch the server and list its tools; on failure `error` says why."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._task = asyncio.create_task(self._serve(), name=f"mcp {self.name}")
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            self.error = f"MCP server {self.name!r} did not start within {timeout:.0f} s"
            self._task.cancel()

    async def _serve(self) -> None:
        from mcp import ClientSession
        from mcp.client.stdio import stdio_client

        try:
            with self.log_path.open("a", encoding="utf-8") as errlog:
                async with (
                    stdio_client(self._params(), errlog=errlog) as (read, write),
                    ClientSession(read, write) as session,
                ):
                    await session.initialize()
                    self.tools = await self._list(session)
                    self._session = session
                    self._ready.set()
                    await self._stop.wait()
        except Exception as exc:  # the server's failure is reported, never fatal
            self.error = (
                f"MCP server {self.name!r} ({self.settings.command}) stopped: "
                f"{_leaf(exc)} (its log: {self.log_path})"
            )
        finally:
            self._session = None
            self._ready.set()

    async def _list(self, session: Any) -> list[Tool]:
        tools: list[Tool] = []
        cursor = None
        while True:
            from mcp_types import PaginatedRequestParams

            page = await session.list_tools(params=PaginatedRequestParams(cursor=cursor))
            tools += [self._wrap(t) for t in page.tools]
            cursor = page.next_cursor
            if not cursor:
                return tools

    def _wrap(self, listed: Any) -> Tool:
        remote = str(listed.name)

        async def run(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
            return await self.call(remote, args)

        read_only = bool(getattr(listed.annotations, "read_only_hint", False))
        return Tool(
            ToolSpec(
                tool_name(self.name, remote),
                listed.description or f"{remote} (from the MCP server {self.name})",
                dict(listed.input_schema or {"type": "object"}),
            ),
            run,
            writes=not read_only,
            describe=lambda a: f"call {remote} on the MCP server {self.name!r}",
        )

    async def call(self, tool: str, args: dict[str, Any]) -> ToolOutcome:
        from mcp_types import CallToolResult

        session = self._session
        if session is None:
            raise ToolError(self.error or f"MCP server {self.name!r} is not running")
        try:
            result = await session.call_tool(tool, args)
        except Exception as exc:  # a protocol error or a dead server: the model reads it
            raise ToolError(f"MCP server {self.name!r}: {_leaf(exc)}") from exc
        if not isinstance(result, CallToolResult):
            return ToolOutcome(f"{tool} asked for input forktree cannot give", is_error=True)
        text = "\n".join(_block_text(b) for b in result.content)
        if not text and result.structured_content is not None:
            text = json.dumps(result.structured_content, ensure_ascii=False)
        return ToolOutcome(text, is_error=bool(result.is_error))

    async def close(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 10)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()


class MCPHub:
    """Every configured MCP server, started together the first time tools are needed."""

    def __init__(self, servers: Sequence[MCPServerSettings], log_dir: Path) -> None:
        self.servers = [MCPServer(s, log_dir) for s in servers]
        self._started: asyncio.Task[list[str]] | None = None

    async def start(self) -> list[str]:
        """Start them all (once; later calls wait for the same start); the problems."""
        if self._started is None:
            self._started = asyncio.ensure_future(self._start_all())
        return await asyncio.shield(self._started)

    async def _start_all(self) -> list[str]:
        try:
            import mcp  # noqa: F401
        except ImportError:
            missing = (
                "MCP servers are set but the `mcp` package is missing: pip install 'forktree[mcp]'"
            )
            return [missing]
        await asyncio.gather(*(s.start() for s in self.servers))
        return [s.error for s in self.servers if s.error]

    def tools(self) -> list[Tool]:
        return [t for s in self.servers for t in s.tools]

    async def close(self) -> None:
        await asyncio.gather(*(s.close() for s in self.servers))
