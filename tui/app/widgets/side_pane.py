"""The tool / thinking pane: each thinking block and tool call of one message, collapsible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Collapsible, Static

from tui.app.widgets.code import code_block, pretty_json
from tui.engine.sessions.events import (
    ProviderEvent,
    ThinkingDelta,
    ToolCall,
    ToolOutput,
    ToolResult,
)
from tui.engine.sessions.model import (
    FileChangePart,
    Message,
    Session,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
)

MAX_SHOWN = 20_000  # characters of one tool result shown; the store keeps all of it


def _clip(text: str) -> str:
    if len(text) <= MAX_SHOWN:
        return text
    return text[:MAX_SHOWN] + f"\n… {len(text) - MAX_SHOWN:,} more characters"


def _code(text: str, lexer: str) -> Syntax:
    return code_block(_clip(text), lexer)


def _meta(result: ToolResult | ToolResultPart) -> str:
    """` · exit 2 · 0.4 s` for a tool we ran; empty for results a provider reported."""
    bits = []
    if result.exit_code is not None:
        bits.append(f"exit {result.exit_code}")
    if result.duration_s is not None:
        bits.append(f"{result.duration_s:.1f} s")
    return "".join(f" · {b}" for b in bits)


class SidePane(VerticalScroll, can_focus=True):
    """Shows the parts of the focused message, or of the reply streaming now."""

    def __init__(self, **kwargs: Any) -> None:  # Widget's own keywords (id, classes…)
        super().__init__(**kwargs)
        self._thinking: Static | None = None
        self._thinking_text: list[str] = []
        self._tools: dict[str, Collapsible] = {}
        self._output: dict[str, tuple[Static, list[str]]] = {}
        self.subagents: dict[str, Session] = {}
        self.message_id: str | None = None
        self.diff_of: Callable[[FileChangePart], str] | None = None  # set by the screen

    async def show(
        self, message: Message | None, subagents: dict[str, Session] | None = None
    ) -> None:
        """The parts of `message`; `subagents` maps a Task call's id to its session."""
        self.subagents = subagents or {}
        await self._reset()
        if message is None:
            return
        self.message_id = message.id
        for part in message.parts:
            if isinstance(part, ThinkingPart):
                await self._add_thinking(part.text)
            elif isinstance(part, ToolUsePart):
                await self._add_tool(part.tool_id, part.name, part.input)
            elif isinstance(part, ToolResultPart):
                await self._add_result(part.tool_id, part.content, part.is_error, _meta(part))
            elif isinstance(part, FileChangePart):
                await self._add_file(part)
        if not (message.thinking or message.tool_parts()):
            await self.mount(Static("No thinking or tool calls in this message.", classes="empty"))
        await self.show_result(message)

    async def show_result(self, message: Message) -> None:
        """The turn's result at the foot of the pane, when `message` ended a turn."""
        if message.result is None or message.id != self.message_id:
            return
        for old in self.query(".turn-result"):
            await old.remove()
        await self.mount(Static(Text(message.result.line()), classes="turn-result"))

    async def _reset(self) -> None:
        self._thinking = None
        self._thinking_text = []
        self._tools = {}
        self._output = {}
        self.message_id = None
        await self.remove_children()

    async def start_live(self, message_id: str | None = None) -> None:
        await self._reset()
        self.message_id = message_id

    def next_reply(self, message_id: str) -> None:
        """The model answers its tool results: its new parts go on below the old ones."""
        self.message_id = message_id
        self._thinking = None

    def owns(self, tool_id: str) -> bool:
        return tool_id in self._tools

    async def apply_event(self, event: ProviderEvent) -> None:
        """Grow the pane with a streaming event."""
        if isinstance(event, ThinkingDelta):
            if self._thinking is None:
                await self._add_thinking(event.text)
            else:
                self._thinking_text.append(event.text)
                self._thinking.update(Text("".join(self._thinking_text)))
        elif isinstance(event, ToolCall):
            self._thinking = None
            await self._add_tool(event.tool_id, event.name, event.input)
        elif isinstance(event, ToolOutput):
            await self._add_output(event.tool_id, event.text)
        elif isinstance(event, ToolResult):
            await self._add_result(event.tool_id, event.content, event.is_error, _meta(event))

    async def _add_thinking(self, text: str) -> None:
        self._thinking_text = [text]
        self._thinking = Static(Text(text), classes="thinking-text")
        await self.mount(
            Collapsible(self._thinking, title="thinking", collapsed=False, classes="thinking")
        )

    async def _add_tool(self, tool_id: str, name: str, data: dict[str, object]) -> None:
        block = Collapsible(
            Static(_code(pretty_json(data), "json"), classes="tool-input"),
            title=f"tool {name}",
            collapsed=False,
            classes="tool",
        )
        self._tools[tool_id] = block
        await self.mount(block)
        sub = self.subagents.get(tool_id)
        if sub is not None:
            await block.query_one(Collapsible.Contents).mount(
                Static(
                    f"↳ subagent session “{sub.title}” · {sub.totals.messages} messages "
                    "(in the tree under this session; ctrl+k to open)",
                    classes="subagent",
                )
            )

    async def _add_file(self, part: FileChangePart) -> None:
        """A file the call changed: its path and line counts, its diff when opened."""
        counts = f"+{part.added} -{part.removed}" + ("" if part.recorded else " · not kept")
        status = "new" if part.before is None else "deleted" if part.after is None else "edited"
        diff = self.diff_of(part) if self.diff_of and part.recorded else ""
        body = Static(_code(diff, "diff") if diff else Text(counts), classes="file-diff")
        block = Collapsible(
            body, title=f"✎ {part.path} · {status} · {counts}", collapsed=True, classes="file"
        )
        tool = self._tools.get(part.tool_id)
        if tool is not None:
            await tool.query_one(Collapsible.Contents).mount(block)
        else:
            await self.mount(block)

    async def _add_output(self, tool_id: str, text: str) -> None:
        """A running command's output, as it comes (replaced by the result at the end)."""
        block = self._tools.get(tool_id)
        if block is None:
            return
        live = self._output.get(tool_id)
        if live is None:
            view = Static(Text(text), classes="tool-output")
            self._output[tool_id] = (view, [text])
            await block.query_one(Collapsible.Contents).mount(view)
            return
        view, pieces = live
        pieces.append(text)
        view.update(Text(_clip("".join(pieces))))

    async def _add_result(self, tool_id: str, content: str, is_error: bool, meta: str) -> None:
        label = "error" if is_error else "result"
        result = Static(
            _code(f"{label}{meta}:\n{content}", "text"),
            classes="tool-error" if is_error else "tool-result",
        )
        live = self._output.pop(tool_id, None)
        if live is not None:
            await live[0].remove()
        block = self._tools.get(tool_id)
        if block is None:
            await self.mount(Collapsible(result, title=f"tool {label}", classes="tool"))
        else:
            await block.query_one(Collapsible.Contents).mount(result)
