"""The transcript: messages as Markdown, the reply streaming in, following the bottom."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import DescendantFocus
from textual.message import Message as TMessage
from textual.widgets import Static

from ...engine.model import Message
from .message_view import MessageView

WINDOW = 40  # messages mounted at once (Markdown widgets are costly); Home shows more


class Transcript(VerticalScroll, can_focus=False):
    """Holds MessageViews. Up/down move between messages; f/e/r act on the focused one."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Prev msg", show=False, id="transcript.prev"),
        Binding("down,j", "move(1)", "Next msg", show=False, id="transcript.next"),
        Binding("f", "screen.fork", "Fork here", id="transcript.fork"),
        Binding("e", "screen.edit", "Edit & resend", id="transcript.edit"),
        Binding("r", "screen.revert", "Revert here", id="transcript.revert"),
        Binding("home", "more", "Earlier", show=False, id="transcript.more"),
    ]

    @dataclass
    class Focused(TMessage):
        """A message got the focus: the side pane follows it."""

        message: Message

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.messages: list[Message] = []
        self.shown_from = 0

    async def show(self, messages: list[Message]) -> None:
        self.messages = list(messages)
        self.shown_from = max(0, len(messages) - WINDOW)
        await self.remove_children()
        await self._mount_window()
        self.anchor()
        self.call_after_refresh(self.scroll_end, animate=False)

    async def _mount_window(self) -> None:
        widgets: list[Static | MessageView] = []
        if self.shown_from:
            widgets.append(
                Static(
                    f"{self.shown_from} earlier messages — press Home to show", classes="earlier"
                )
            )
        widgets += [MessageView(m) for m in self.messages[self.shown_from :]]
        if not self.messages:
            widgets.append(Static("No messages yet. Type below and press Enter.", classes="empty"))
        await self.mount_all(widgets)

    async def action_more(self) -> None:
        if self.shown_from:
            self.shown_from = max(0, self.shown_from - WINDOW)
            await self.remove_children()
            await self._mount_window()

    def views(self) -> list[MessageView]:
        return list(self.query(MessageView))

    async def add(self, message: Message) -> MessageView:
        for placeholder in self.query(".empty"):
            await placeholder.remove()
        view = MessageView(message)
        queued = self.query(".queued")
        await self.mount(view, before=queued.first() if queued else None)
        self.messages.append(message)
        return view

    async def add_queued(self, text: str) -> None:
        preview = text.strip().splitlines()[0][:80]
        await self.mount(Static(f"queued › {preview}", classes="queued"))

    async def pop_queued(self) -> None:
        queued = self.query(".queued")
        if queued:
            await queued.first().remove()

    def focused_message(self) -> Message | None:
        focused = self.app.focused
        if isinstance(focused, MessageView) and focused.parent is self:
            return focused.message
        return None

    def action_move(self, step: int) -> None:
        views = self.views()
        if not views:
            return
        current = self.app.focused
        index = views.index(current) if current in views else len(views)
        target = views[max(0, min(len(views) - 1, index + step))]
        target.focus()
        target.scroll_visible()

    def focus_last(self) -> None:
        views = self.views()
        if views:
            views[-1].focus()

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, MessageView):
            self.post_message(self.Focused(event.widget.message))
