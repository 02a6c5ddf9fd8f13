"""Assembles a streamed reply from provider events into message parts, in arrival order."""

from __future__ import annotations

from tui.engine.sessions.events import (
    ProviderEvent,
    TextDelta,
    ThinkingDelta,
    ToolCall,
    ToolResult,
    UsageReport,
)
from tui.engine.sessions.model import (
    Message,
    MessageStatus,
    Part,
    TextPart,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
    Usage,
)


class ReplyBuilder:
    """Collects deltas cheaply (string pieces per part) and builds a Message on demand."""

    def __init__(self, base: Message) -> None:
        self.base = base
        self._parts: list[list[str] | Part] = []
        self._kinds: list[str] = []
        self.usage: Usage = base.usage
        self.chars = 0

    def apply(self, event: ProviderEvent) -> None:
        if isinstance(event, TextDelta):
            self._add_text("text", event.text)
        elif isinstance(event, ThinkingDelta):
            self._add_text("thinking", event.text)
        elif isinstance(event, ToolCall):
            self._append("tool_use", ToolUsePart(event.tool_id, event.name, event.input))
        elif isinstance(event, ToolResult):
            part = ToolResultPart(
                event.tool_id, event.content, event.is_error, exit_code=event.exit_code
            )
            self._append("tool_result", part)
        elif isinstance(event, UsageReport):
            self.usage = event.usage

    def add_text(self, text: str) -> None:
        """A TextDelta's text: appended to the current text part (the common case)."""
        if self._kinds and self._kinds[-1] == "text":
            self.chars += len(text)
            # the last kind is text, so the last part is a list of str pieces
            self._parts[-1].append(text)  # type: ignore[union-attr]
        else:
            self._add_text("text", text)

    def _add_text(self, kind: str, text: str) -> None:
        self.chars += len(text)
        if self._kinds and self._kinds[-1] == kind:
            pieces = self._parts[-1]
            assert isinstance(pieces, list)
            pieces.append(text)
        else:
            self._append(kind, [text])

    def _append(self, kind: str, value: list[str] | Part) -> None:
        self._kinds.append(kind)
        self._parts.append(value)

    @property
    def has_parts(self) -> bool:
        return bool(self._parts)

    def parts(self) -> tuple[Part, ...]:
        out: list[Part] = []
        for kind, value in zip(self._kinds, self._parts, strict=True):
            if isinstance(value, list):
                text = "".join(value)
                value[:] = [text]  # keep joins linear across repeated builds
                out.append(TextPart(text) if kind == "text" else ThinkingPart(text))
            else:
                out.append(value)
        return tuple(out)

    def build(self, status: MessageStatus, error: str | None = None) -> Message:
        parent_totals = self.base.totals
        return self.base.with_changes(
            parts=self.parts(),
            usage=self.usage,
            status=status,
            error=error,
            totals=parent_totals.plus(self.usage, messages=0),
            writer_pid=self.base.writer_pid if status is MessageStatus.STREAMING else None,
        )
