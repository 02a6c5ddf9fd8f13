"""The agent loop's tool step: ask, run and record each call of a reply, so the model's
next reply can read the results. The session runtime owns one per session with tools."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.engine.files.history import record
from tui.engine.files.watch import after_call, before_call, git_top
from tui.engine.sessions.events import ReplyUpdated, ToolOutput, ToolResult
from tui.engine.sessions.model import FileChangePart, Message, ToolResultPart, ToolUsePart
from tui.engine.tools import (
    Approver,
    PermissionPolicy,
    PermissionRequest,
    ToolContext,
    ToolRegistry,
    Verdict,
    Workspace,
    execute,
    nobody_approves,
)
from tui.engine.tools.mcp import MCPHub
from tui.engine.tools.redact import hide_own_environment, safe_env, secret_values
from tui.engine.turns.states import RunState

if TYPE_CHECKING:
    from tui.engine.engine import Engine

Emit = Callable[[ReplyUpdated], Awaitable[None]]
SetState = Callable[[RunState, str], Awaitable[None]]

ABORTED = "not run: the user stopped the turn"


@dataclass(slots=True)
class ToolSetup:
    """The tools one session's model may call, and who allows them."""

    registry: ToolRegistry = field(default_factory=ToolRegistry)
    policy: PermissionPolicy = field(default_factory=PermissionPolicy)
    approver: Approver = nobody_approves
    roots: tuple[str, ...] = ()  # folders besides the session's own
    shell_timeout: float = 120.0
    max_rounds: int = 20  # tool rounds per prompt
    file_history_kb: int = 1024  # larger files changed are noted, not kept
    hub: MCPHub | None = None  # MCP servers, shared by every session of the process
    secret_names: tuple[str, ...] = ()  # variables the settings name as keys
    on_problem: Callable[[str], None] = lambda problem: None
    prepared: bool = False

    async def prepare(self) -> None:
        """Start the MCP servers (once) and offer their tools too."""
        if self.prepared:
            return
        self.prepared = True
        if self.hub is not None:
            for problem in await self.hub.start():
                self.on_problem(problem)
            for tool in self.hub.tools():
                self.registry.add(tool)


def rejection(verdict: Verdict) -> str:
    reason = verdict.reason.strip()
    return "the user rejected this call" + (f": {reason}" if reason else "")


class ToolStep:
    """Runs the pending tool calls of a reply, one at a time, in the model's order:
    `emit` hears of output and results, `set_state` of waiting for an answer."""

    def __init__(
        self, engine: Engine, session_id: str, setup: ToolSetup, emit: Emit, set_state: SetState
    ) -> None:
        self.engine = engine
        self.session_id = session_id
        self.setup = setup
        self.emit = emit
        self.set_state = set_state
        self._git_top: tuple[Path | None] | None = None  # found at the first run

    def folder(self) -> str:
        """The session's working folder: fixed the first time its tools run."""
        session = self.engine.session(self.session_id)
        if session.origin.cwd:
            return session.origin.cwd
        cwd = os.getcwd()
        with self.engine.store.transaction():
            current = self.engine.store.get_session(session.id)
            origin = replace(current.origin, cwd=cwd)
            self.engine.store.put_session(current.with_changes(origin=origin))
        return cwd

    async def run(self, reply: Message) -> Message:
        """Every pending call of `reply` answered (run, rejected or stopped); saved, with
        the files each call changed in the session's folder."""
        setup = self.setup
        workspace = Workspace(self.folder(), setup.roots)
        if self._git_top is None:
            self._git_top = (await asyncio.to_thread(git_top, workspace.root),)
        env = safe_env(os.environ, setup.secret_names)
        hide_own_environment()
        try:
            for call in reply.pending_calls():
                result, changes = await self._answer(setup, workspace, env, reply, call)
                reply = await self._record(reply, result, changes)
        except asyncio.CancelledError:  # an abort: every call left gets a result
            await self.stop(reply, ABORTED)
            raise
        return reply

    async def stop(self, reply: Message, why: str) -> Message:
        """Answer every call still pending with an error saying `why` they did not run."""
        for call in reply.pending_calls():
            reply = await self._record(reply, ToolResultPart(call.tool_id, why, True))
        return reply

    async def _answer(
        self,
        setup: ToolSetup,
        workspace: Workspace,
        env: dict[str, str],
        reply: Message,
        call: ToolUsePart,
    ) -> tuple[ToolResultPart, list[FileChangePart]]:
        tool = setup.registry.get(call.name)
        if tool is not None and setup.policy.needs_asking(tool):
            await self.set_state(RunState.WAITING_TOOL, f"{call.name} waits for your answer")
            verdict = await setup.approver(
                PermissionRequest(
                    session_id=self.session_id,
                    tool_id=call.tool_id,
                    name=call.name,
                    input=call.input,
                    summary=tool.describe(call.input),
                    writes=tool.writes,
                    folder=str(workspace.root),
                )
            )
            setup.policy.record(tool, verdict)
            await self.set_state(RunState.PROCESSING, f"running {call.name}")
            if not verdict.allowed:
                return ToolResultPart(call.tool_id, rejection(verdict), is_error=True), []

        async def output(text: str) -> None:
            await self.emit(ReplyUpdated(self.session_id, reply, ToolOutput(call.tool_id, text)))

        secrets = tuple(secret_values(os.environ, setup.secret_names))
        context = ToolContext(workspace, output, env, setup.shell_timeout, secrets)
        limit = setup.file_history_kb * 1024
        top = self._git_top[0] if self._git_top else None
        before = await asyncio.to_thread(
            before_call, workspace.root, call.name, call.input, limit, top
        )
        result = await execute(setup.registry, call, context)
        if before is None:
            return result, []
        changes = await asyncio.to_thread(after_call, before, limit)
        parts = await asyncio.to_thread(record, self.engine.blobs, call.tool_id, changes)
        return result, parts

    async def _record(
        self, reply: Message, result: ToolResultPart, changes: Sequence[FileChangePart] = ()
    ) -> Message:
        reply = self.engine.record_tool_result(self.session_id, reply.id, result, changes)
        event = ToolResult(
            result.tool_id, result.content, result.is_error, result.exit_code, result.duration_s
        )
        await self.emit(ReplyUpdated(self.session_id, reply, event))
        return reply
