"""The tools a session may offer its model: the built-in ones, plus any MCP server's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tui.engine.tools.base import Tool, ToolSpec
from tui.engine.tools.files import FILE_TOOLS
from tui.engine.tools.shell import SHELL_TOOL

BUILTIN_TOOLS: tuple[Tool, ...] = (*FILE_TOOLS, SHELL_TOOL)
READ_ONLY = tuple(t.name for t in BUILTIN_TOOLS if not t.writes)


class ToolRegistry:
    """Tools by name, in the order they are offered; with `allowed`, only those names
    (an MCP server's tools too, as they are added)."""

    def __init__(
        self, tools: Iterable[Tool] = BUILTIN_TOOLS, allowed: Iterable[str] | None = None
    ) -> None:
        self._tools: dict[str, Tool] = {}
        self._allowed = None if allowed is None else frozenset(allowed)
        for tool in tools:
            self.add(tool)

    def add(self, tool: Tool) -> None:
        if self._allowed is None or tool.name in self._allowed:
            self._tools[tool.name] = tool

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def specs(self) -> tuple[ToolSpec, ...]:
        return tuple(t.spec for t in self._tools.values())

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)
