"""One way to build a run: a session runtime with its tools, permissions and MCP servers.

The app, `forktree send` and fan-out each hold one `RunFactory` per process; it owns the
MCP servers (started with the first prompt that offers tools, stopped by `close`)."""

from __future__ import annotations

from collections.abc import Callable

from tui.engine.config.paths import data_dir
from tui.engine.config.settings import Settings, ToolSettings, load_settings
from tui.engine.engine import Engine
from tui.engine.sessions.options import SessionOptions
from tui.engine.tools import Approver, PermissionPolicy, ToolRegistry, nobody_approves
from tui.engine.tools.mcp import MCPHub
from tui.engine.turns.runtime import Listener, RunSettings, SessionRuntime, ignore_events
from tui.engine.turns.tool_step import ToolSetup

Problem = Callable[[str], None]


def _no_problem(problem: str) -> None:
    return None


def tool_setup(
    settings: ToolSettings,
    approver: Approver = nobody_approves,
    hub: MCPHub | None = None,
    on_problem: Problem = _no_problem,
    secret_names: tuple[str, ...] = (),
    allowed: tuple[str, ...] | None = None,
) -> ToolSetup | None:
    """The tools the settings allow (None when tools are turned off); only the `allowed`
    ones (built-in or MCP) when an allow-list is given."""
    if not settings.enabled:
        return None
    return ToolSetup(
        registry=ToolRegistry(allowed=allowed),
        policy=PermissionPolicy(settings.auto_allow),
        approver=approver,
        roots=settings.roots,
        shell_timeout=settings.shell_timeout,
        max_rounds=settings.max_rounds,
        file_history_kb=settings.file_history_kb,
        hub=hub,
        on_problem=on_problem,
        secret_names=secret_names,
    )


def mcp_hub(settings: Settings) -> MCPHub | None:
    """The configured MCP servers (not started yet), or None when there are none."""
    if not settings.mcp_servers or not settings.tools.enabled:
        return None
    return MCPHub(settings.mcp_servers, data_dir() / "logs")


class RunFactory:
    """Makes the session runtimes of one process from the settings: each gets the tools
    the settings allow (none with `tools=False`), asked about through `approver`."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings | None = None,
        approver: Approver = nobody_approves,
        on_problem: Problem = _no_problem,
        tools: bool = True,
    ) -> None:
        self.engine = engine
        self.settings = settings if settings is not None else load_settings()[0]
        self.approver = approver
        self.on_problem = on_problem
        self.tools = tools and self.settings.tools.enabled
        self.hub: MCPHub | None = mcp_hub(self.settings) if self.tools else None
        providers = self.settings.providers.values()
        self.key_names = tuple(sorted({p.api_key_env for p in providers if p.api_key_env}))

    def options(self, session_id: str) -> SessionOptions:
        """The session's own options over the settings file's `[session]` defaults."""
        return self.engine.session(session_id).options.over(self.settings.session)

    def run_settings(self, options: SessionOptions | None = None) -> RunSettings:
        options = options or self.settings.session
        return RunSettings(
            max_turns=options.max_turns,
            max_budget_usd=options.max_budget_usd,
            model_titles=self.settings.model_titles,
        )

    def runtime(
        self,
        session_id: str,
        listener: Listener = ignore_events,
        settings: RunSettings | None = None,
    ) -> SessionRuntime:
        """A runtime for the session, with its own permission memory; its limits and
        tools come from the session's options unless `settings` are given."""
        options = self.options(session_id)
        tools = (
            tool_setup(
                self.settings.tools,
                self.approver,
                self.hub,
                self.on_problem,
                self.key_names,
                allowed=options.allowed_tools,
            )
            if self.tools and options.tools is not False
            else None
        )
        return SessionRuntime(
            self.engine,
            session_id,
            settings or self.run_settings(options),
            listener=listener,
            tools=tools,
        )

    async def close(self) -> None:
        """Stop the MCP servers this factory started."""
        if self.hub is not None:
            await self.hub.close()
