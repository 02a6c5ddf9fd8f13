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

WINDOW = 15  # messages mounted at once; more mount as the user scrolls up (or Home)


class Transcript(VerticalScroll, can_focus=False):
    """Holds MessageViews. Up/down move between messages; f/e/r act on the focused one."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Prev msg", show=False, id="transcript.prev"),
        Binding("down,j", "move(1)", "Next msg", show=False, id="transcript.next"),
        Binding("f", "screen.fork", "Fork here", id="transcript.fork"),
        Binding("e", "screen.edit", "Edit & resend", id="transcript.edit"),
        Binding("r", "screen.revert", "Revert here", id="transcript.revert"),
        Binding("c", "screen.copy_message", "Copy", id="transcript.copy"),
        Binding("b", "screen.checkpoint", "Checkpoint", id="transcript.checkpoint"),
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
        self._loading = False

    async def show(self, messages: list[Message]) -> None:
        self.workers.cancel_group(self, "more")  # a load for the window being replaced
        self._loading = False
        self.messages = list(messages)
        self.shown_from = max(0, len(messages) - WINDOW)
        await self.remove_children()
        await self._mount_window()
        self.anchor()

    def _earlier_label(self) -> Static:
        return Static(
            f"{self.shown_from} earlier messages — scroll up or press Home", classes="earlier"
        )

    async def _mount_window(self) -> None:
        widgets: list[Static | MessageView] = []
        if self.shown_from:
            widgets.append(self._earlier_label())
        widgets += [MessageView(m) for m in self.messages[self.shown_from :]]
        if not self.messages:
            widgets.append(Static("No messages yet. Type below and press Enter.", classes="empty"))
        await self.mount_all(widgets)

    async def action_more(self) -> None:
        """Mount the previous WINDOW messages above, keeping what is on screen in place."""
        first = self.query(MessageView).first() if self.query(MessageView) else None
        if not self.shown_from or self._loading or first is None:
            return  # nothing earlier, a load under way, or a window being replaced
        self._loading = True
        start = max(0, self.shown_from - WINDOW)
        views = [MessageView(m) for m in self.messages[start : self.shown_from]]
        self.shown_from = start
        for label in self.query(".earlier"):
            await label.remove()
        old_height, old_y = self.virtual_size.height, self.scroll_y
        await self.mount_all(views, before=first)
        if self.shown_from:
            await self.mount(self._earlier_label(), before=views[0])

        def keep_place() -> None:
            self.scroll_to(y=old_y + self.virtual_size.height - old_height, animate=False)
            self._loading = False

        self.call_after_refresh(keep_place)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value < 1 and old_value >= 1 and self.shown_from:
            self.run_worker(self.action_more(), exclusive=True, group="more")

    async def reveal(self, message_id: str) -> MessageView | None:
        """Mount the window holding `message_id` if needed, then focus its view."""
        index = next((i for i, m in enumerate(self.messages) if m.id == message_id), None)
        if index is None:
            return None
        if index < self.shown_from:
            self.shown_from = max(0, index - 2)
            await self.remove_children()
            await self._mount_window()
        view = next((v for v in self.views() if v.message.id == message_id), None)
        if view is not None:
            view.focus()
            self.call_after_refresh(view.scroll_visible, top=True, animate=False)
        return view

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
