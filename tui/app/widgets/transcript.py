"""The transcript: settled messages in one `History`, the live reply below it as
streaming Markdown, queued prompts last; it follows the bottom as the reply grows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import DescendantFocus
from textual.widgets import Static

from tui.app.actions.registry import bindings
from tui.app.widgets.history import History
from tui.app.widgets.lean_scrollbar import LeanScrolling
from tui.engine.sessions.model import Message, MessageStatus

if TYPE_CHECKING:
    from tui.app.widgets.message_view import MessageView

WINDOW = 30  # at most this many messages load when a session opens ...
SCREENS = 3  # ... or fewer, when their text fills about three screens
CHUNK = 30  # earlier messages loaded at a time as the reader nears the top


class Transcript(LeanScrolling, VerticalScroll, can_focus=True):
    """Focused, it shows a cursor on a message: up/down move it; f/e/r act on that
    message. (Focusing the container itself never scrolls it, unlike a tall child.)"""

    BINDINGS = bindings("transcript")

    Focused = History.Focused

    def __init__(self, **kwargs: Any) -> None:  # Widget's own keywords (id, classes…)
        super().__init__(**kwargs)
        self.messages: list[Message] = []
        self.shown_from = 0  # the loaded part is messages[shown_from:shown_to]
        self.history = History()
        self.live: MessageView | None = None
        self._switching = False

    def compose(self) -> ComposeResult:
        yield self.history

    async def show(self, messages: list[Message], live: bool = False) -> None:
        """Show a branch; with `live`, its last message is a reply still streaming."""
        self.messages = list(messages)
        streaming = live and messages and messages[-1].status is MessageStatus.STREAMING
        reply = self.messages[-1] if streaming else None
        await self.remove_children([c for c in self.children if c is not self.history])
        self.live = None
        self._load_end(len(messages) - (1 if reply else 0))
        if reply is not None:
            from tui.app.widgets.message_view import (
                MessageView,  # with Textual's Markdown: when one streams
            )

            self.live = MessageView(reply)
            await self.mount(self.live)
        if not messages:
            empty = "No messages yet. Type below and press Enter."
            await self.mount(Static(empty, classes="empty"))
        self._follow_end()

    def _load_end(self, end: int) -> None:
        """Load the last part of messages[:end]: WINDOW messages, or fewer when their
        text (counted roughly, before any rendering) fills SCREENS screens."""
        width = max(20, (self.size.width or self.app.size.width // 2) - 4)
        budget = SCREENS * max(10, self.size.height or self.app.size.height)
        start, lines = end, 0
        while start > 0 and end - start < WINDOW and lines < budget:
            start -= 1
            text = self.messages[start].text
            lines += 2 + text.count("\n") + len(text) // width
        self.shown_from = start
        self.history.set_messages(self.messages[start:end], start)

    def _follow_end(self) -> None:
        """Show the end and follow it as it grows; load more if the part is short."""
        self._switching = True  # scroll moves from the new content are not the reader's

        def settled() -> None:
            self._switching = False

        self.anchor()
        self.call_after_refresh(settled)
        self.call_after_refresh(self._fill)
        self.call_after_refresh(self._prerender)

    def _prerender(self) -> None:
        """Render the next earlier messages in the background, once this page is drawn:
        the page up that loads them then does not render Markdown in its frame."""
        start = max(0, self.shown_from - CHUNK)
        if start < self.shown_from:
            earlier = self.messages[start : self.shown_from]
            history = self.history

            async def work() -> None:  # not a coroutine made now: a worker cancelled
                await history.prerender(earlier)  # before it starts would leave it unawaited

            self.run_worker(work, group="prerender", exclusive=True)  # type: ignore[arg-type]

    @property
    def shown_to(self) -> int:
        """Where the loaded part ends: History holds exactly messages[shown_from:shown_to]."""
        return self.shown_from + len(self.history.messages)

    def _end(self) -> int:
        """Where the settled messages end (the live reply, if any, comes after)."""
        return len(self.messages) - (1 if self.live is not None else 0)

    async def action_latest(self) -> None:
        """Back to the end of the branch, after a jump to an old message."""
        if self.shown_to < self._end():
            self._load_end(self._end())
        self._follow_end()

    def action_later(self) -> None:
        """Load up to CHUNK later messages below (after a jump to an old message)."""
        end = min(self._end(), self.shown_to + CHUNK)
        if end > self.shown_to:
            later = self.messages[self.shown_to : end]
            self.history.append(*later, later=self._end() - end)

    def _fill(self) -> None:
        """Load more when the first part turned out shorter than the view."""
        if self.shown_from and self.history.line_count() < 2 * self.size.height:
            self.action_more()

    def shown(self) -> list[Message]:
        """The messages on the page (loaded ones), the live reply last."""
        live = [self.live.message] if self.live is not None else []
        return self.history.messages + live

    def action_more(self) -> None:
        """Load up to CHUNK earlier messages above, keeping what is on screen in place."""
        if not self.shown_from:
            return
        start = max(0, self.shown_from - CHUNK)
        added = self.history.prepend(self.messages[start : self.shown_from], start)
        self.shown_from = start
        # Move down by what was added in the same frame as the layout that adds it. The
        # value is past the old end, so it is set without the clamp to the old size.
        y = self.scroll_y + added
        self.set_reactive(Transcript.scroll_y, y)
        self.set_reactive(Transcript.scroll_target_y, y)
        self.vertical_scrollbar.position = y
        self.call_after_refresh(self._prerender)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)  # a page at once, as in a pager

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._switching:
            return
        if self.shown_from and new_value < old_value and new_value < self.size.height:
            self.action_more()  # within a page of the top: load before the reader gets there
        elif (
            self.history.later
            and new_value > old_value
            and new_value > self.max_scroll_y - self.size.height
        ):
            self.action_later()  # the same near the bottom, after a jump up

    async def reveal(self, message_id: str) -> bool:
        """Load the part holding `message_id` if needed, then put the focus on it."""
        index = next((i for i, m in enumerate(self.messages) if m.id == message_id), None)
        if index is None:
            return False
        if self.live is not None and self.live.message.id == message_id:
            self.live.focus()
            return True
        if self.shown_from - CHUNK <= index < self.shown_from:
            start = max(0, index - 2)  # close above: load down to it
            self.history.prepend(self.messages[start : self.shown_from], start)
            self.shown_from = start
        elif not self.shown_from <= index < self.shown_to:
            start = max(0, index - 2)  # far away: a part around it, the rest left out
            end = min(self._end(), start + WINDOW)
            self.history.set_messages(self.messages[start:end], start, self._end() - end)
            self.shown_from = start
            self.anchor(False)
        self.focus_message(index - self.shown_from, top=True)
        return True

    def focus_message(self, index: int, top: bool = False) -> None:
        """Focus the `index`th loaded message and scroll it into view."""
        history = self.history
        if index >= len(history.messages) and self.live is not None:
            self.live.focus()
            self.live.scroll_visible(animate=False)
            return
        history.select(index)
        self.focus()
        cursor = history.cursor

        def show_it() -> None:
            if cursor is not None and cursor < len(history.messages):
                region = history.region_of(cursor).translate(history.virtual_region.offset)
                self.scroll_to_region(region, animate=False, top=top, immediate=True)

        self.call_after_refresh(show_it)

    async def add(self, message: Message) -> None:
        """A settled message at the end (the user's prompt as a turn starts)."""
        await self._at_end()
        self.messages.append(message)
        self.history.append(message)

    async def _at_end(self) -> None:
        """New messages are coming: drop the placeholder, load the end if need be."""
        for placeholder in self.query(".empty"):
            await placeholder.remove()
        if self.history.later:
            await self.action_latest()

    async def start_live(self, reply: Message) -> MessageView:
        """The reply that streams in next, above any queued prompts."""
        await self._at_end()
        if self.live is not None:
            await self.finish_live(self.live.message)
        self.messages.append(reply)
        from tui.app.widgets.message_view import (
            MessageView,  # with Textual's Markdown: when one streams
        )

        view = self.live = MessageView(reply)
        queued = self.query(".queued")
        await self.mount(view, before=queued.first() if queued else None)
        return view

    async def finish_live(self, message: Message) -> None:
        """The live reply ended: it joins the settled messages (one render, cached)."""
        view = self.live
        if view is None:
            return
        await view.stop()
        if message.status is MessageStatus.STREAMING:
            view.set_message(message)
            return
        had_focus = view.has_focus
        for i in range(len(self.messages) - 1, -1, -1):
            if self.messages[i].id == message.id:
                self.messages[i] = message
                break
        with self.app.batch_update():
            if self.history.later:  # the reader went up meanwhile: it joins the rest
                self.history.append(later=self.history.later + 1)
            else:
                self.history.append(message)
            self.live = None
            await view.remove()
            if had_focus:
                self.focus_message(len(self.history.messages) - 1)

    def update_message(self, message: Message) -> None:
        """A shown message changed in the store (its turn's result was recorded)."""
        for i in range(len(self.messages) - 1, -1, -1):
            if self.messages[i].id == message.id:
                self.messages[i] = message
                break
        self.history.replace(message)

    async def add_queued(self, text: str) -> None:
        preview = text.strip().splitlines()[0][:80]
        await self.mount(Static(f"queued › {preview}", classes="queued"))

    async def pop_queued(self) -> None:
        queued = self.query(".queued")
        if queued:
            await queued.first().remove()

    def focused_message(self) -> Message | None:
        focused = self.app.focused
        if focused is self:
            return self.history.current
        if focused is not None and focused is self.live:
            return self.live.message
        return None

    def action_move(self, step: int) -> None:
        count = len(self.shown())
        if not count:
            return
        focused = self.app.focused
        if focused is self and self.history.cursor is not None:
            index = self.history.cursor
        elif focused is not None and focused is self.live:
            index = count - 1
        else:
            index = count  # from outside: up lands on the last message
        self.focus_message(max(0, min(count - 1, index + step)))

    def focus_last(self) -> None:
        count = len(self.shown())
        if count:
            self.focus_message(count - 1)

    def on_focus(self) -> None:
        self.history.set_active(True)

    def on_blur(self) -> None:
        self.history.set_active(False)

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        if event.widget is self.live and self.live is not None:
            self.post_message(self.Focused(self.live.message))
