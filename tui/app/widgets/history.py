"""Settled messages drawn as one Line-API widget: only the lines on screen are drawn,
and each message is rendered once per width and theme (then served from a cache)."""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.console import Group
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message as TMessage
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

from tui.app.widgets.line_styles import foreground
from tui.app.widgets.message_text import body_of, rich_markdown, role_line
from tui.engine.sessions.model import Message, MessageStatus, Role

BORDER = "▌"  # the left edge of a message, as Textual's "outer" border draws it
GUTTER = 3  # border, and one column of padding each side
CACHE_LINES = 50_000  # rendered lines kept across switches (a few tens of MB at most)

BlockKey = tuple[str, str, str, str, str, int, str]


@dataclass(frozen=True, slots=True)
class _Pen:
    """The styles every line of one render pass is drawn with."""

    width: int
    base: Style
    focused: Style  # base, with the focused message's background
    edge: Style
    edge_user: Style
    edge_focus: Style
    gap: Style


class BlockCache:
    """Rendered message bodies by message, text, width and theme; least recently used
    go first once more than `max_lines` lines are held."""

    def __init__(self, max_lines: int = CACHE_LINES) -> None:
        self.max_lines = max_lines
        self.lines = 0
        self._blocks: OrderedDict[BlockKey, list[Strip]] = OrderedDict()

    def get(self, key: BlockKey) -> list[Strip] | None:
        block = self._blocks.get(key)
        if block is not None:
            self._blocks.move_to_end(key)
        return block

    def put(self, key: BlockKey, block: list[Strip]) -> None:
        old = self._blocks.pop(key, None)
        self.lines += len(block) - (len(old) if old else 0)
        self._blocks[key] = block
        while self.lines > self.max_lines and len(self._blocks) > 1:
            _, evicted = self._blocks.popitem(last=False)
            self.lines -= len(evicted)


BLOCKS = BlockCache()


class History(Widget):
    """The transcript's settled messages. A cursor marks the focused message (drawn as
    focused while `active`, that is while the transcript has the focus); the lines of
    each message come from `BLOCKS`, so scrolling draws only cached strips."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "history--border",
        "history--border-user",
        "history--border-focus",
        "history--focus",
        "history--role",
        "history--role-user",
        "history--role-error",
        "history--gap",
        "history--result",
    }
    DEFAULT_CSS = """
    History { height: auto; }
    """

    @dataclass
    class Focused(TMessage):
        """A message got the cursor (with the focus): the side pane follows it."""

        message: Message

    def __init__(self, **kwargs: Any) -> None:  # Widget's own keywords (id, classes…)
        super().__init__(**kwargs)
        self.messages: list[Message] = []
        self.earlier = 0  # messages above these, not loaded (a label says how many)
        self.later = 0  # and below them (after a jump to an old message)
        self.cursor: int | None = None
        self.active = False
        self._width = -1  # the width the blocks were rendered at
        self._blocks: list[list[Strip] | None] = []  # None: not rendered yet
        self._stale = True  # blocks to render, or line positions to count again
        self._look: tuple[object, ...] | None = None  # the looks they were rendered with
        self._starts: list[int] = []  # each message's first line (the gap above it)
        self._total = 0
        self._pen: _Pen | None = None

    # -- content -------------------------------------------------------------------

    def set_messages(self, messages: list[Message], earlier: int, later: int = 0) -> None:
        self.messages, self.earlier, self.later = list(messages), earlier, later
        self.cursor = None
        self._blocks = [None] * len(self.messages)
        self._changed()

    def prepend(self, messages: list[Message], earlier: int) -> int:
        """Add earlier messages above; the number of lines they add."""
        before = self.line_count()
        self.messages[:0] = messages
        self._blocks[:0] = [None] * len(messages)
        self.earlier = earlier
        if self.cursor is not None:
            self.cursor += len(messages)
        self._changed()
        return self.line_count() - before

    def append(self, *messages: Message, later: int = 0) -> None:
        """Add messages below; `later` is how many are left below them."""
        self.messages.extend(messages)
        self._blocks.extend([None] * len(messages))
        self.later = later
        self._changed()

    def replace(self, message: Message) -> bool:
        """Draw a held message again as it is now (its turn result came); False when
        this widget does not hold it."""
        for i in range(len(self.messages) - 1, -1, -1):
            if self.messages[i].id == message.id:
                self.messages[i] = message
                self._blocks[i] = None
                self._changed()
                return True
        return False

    async def prerender(self, messages: list[Message]) -> None:
        """Render `messages` into BLOCKS before they are needed, one per turn of the
        event loop (keys and frames go between): loading them then only counts lines."""
        for message in messages:
            if self._width <= 0:
                return
            self._block(message, max(1, self._width - GUTTER))
            await asyncio.sleep(0)

    def _changed(self) -> None:
        self._stale = True
        self.refresh(layout=True)

    def notify_style_update(self) -> None:
        """Styles were applied again: on every change of focus or theme. Messages render
        again only when what they are drawn with changed (a new theme)."""
        super().notify_style_update()
        self._pen = None
        if self._look is not None and self._looks() != self._look:
            self._width = -1

    def _looks(self) -> tuple[object, ...]:
        """What rendered lines depend on, besides the message and the width."""
        return (
            self.app.theme,
            foreground(self, "history--role"),
            foreground(self, "history--role-user"),
            foreground(self, "history--role-error"),
            foreground(self, "history--result"),
        )

    # -- layout ----------------------------------------------------------------------

    def line_count(self) -> int:
        self._layout(self.size.width or self._width)
        return self._total

    def _layout(self, width: int) -> None:
        """Render what is not rendered at `width` (the messages this widget holds keep
        their lines, whatever BLOCKS drops) and count the line positions again."""
        if width <= 0 or (width == self._width and not self._stale):
            return
        if width != self._width:
            self._blocks = [None] * len(self.messages)
            self._width = width
            self._look = self._looks()
        content = max(1, width - GUTTER)
        line = 2 if self.earlier else 0
        self._starts = []
        for i, block in enumerate(self._blocks):
            if block is None:
                block = self._blocks[i] = self._block(self.messages[i], content)
            self._starts.append(line)
            line += 1 + len(block)
        self._total = line + (2 if self.later else 0)
        self._stale = False

    def _block(self, message: Message, width: int) -> list[Strip]:
        role, body = role_line(message), body_of(message)
        result = message.result.line() if message.result else ""
        key = (message.id, message.status.value, role, body, result, width, self.app.theme)
        block = BLOCKS.get(key)
        if block is None:
            text = Group(
                Text(role, style=self._role_style(message)),
                rich_markdown(body, self.app.current_theme.dark),
                *([Text(result, style=foreground(self, "history--result"))] if result else []),
            )
            console = self.app.console
            options = console.options.update(width=width, highlight=False)
            block = [Strip(line, width) for line in console.render_lines(text, options)]
            BLOCKS.put(key, block)
        return block

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._layout(width)
        return self._total

    def region_of(self, index: int) -> Region:
        """The lines of message `index`, without the gap above it."""
        self._layout(self.size.width)
        block = self._blocks[index] or []
        return Region(0, self._starts[index] + 1, self.size.width, len(block))

    def index_at(self, y: int) -> int | None:
        index = bisect_right(self._starts, y) - 1
        return index if 0 <= index < len(self.messages) else None

    # -- drawing ---------------------------------------------------------------------

    def _role_style(self, message: Message) -> Style:
        if message.status in (MessageStatus.INTERRUPTED, MessageStatus.ERROR):
            return foreground(self, "history--role") + foreground(self, "history--role-error")
        if message.role is Role.USER:
            return foreground(self, "history--role") + foreground(self, "history--role-user")
        return foreground(self, "history--role")

    def _note(self, y: int) -> str | None:
        """The text of line `y` if it is part of a gap note ("" for its blank line)."""
        if self.earlier and y < 2:
            return f"{self.earlier} earlier messages — scroll up or press Home" if y else ""
        if self.later and y >= self._total - 2:
            note = f"{self.later} later messages — scroll down or press End"
            return note if y == self._total - 1 else ""
        return None

    def _row(self, y: int) -> tuple[int, Strip] | None:
        """The message drawn on line `y` and its rendered line there (None in a gap)."""
        index = self.index_at(y)
        if index is None:
            return None
        block = self._blocks[index]
        row = y - self._starts[index] - 1
        return (index, block[row]) if block is not None and 0 <= row < len(block) else None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pen = None  # looked up again once per pass: styles may have changed
        return super().render_lines(crop)

    def _pen_now(self) -> _Pen:
        if self._pen is None:
            base = self.rich_style  # the colours under this widget (it has no background)
            focus = self.get_component_rich_style("history--focus").bgcolor
            self._pen = _Pen(
                self.size.width,
                base,
                base + Style(bgcolor=focus),
                foreground(self, "history--border"),
                foreground(self, "history--border-user"),
                foreground(self, "history--border-focus"),
                foreground(self, "history--gap"),
            )
        return self._pen

    def render_line(self, y: int) -> Strip:
        """Line `y`. Each cell carries its place in the text, for selecting with the
        mouse: (x, y), with x counted in the message's own text, after the border."""
        pen = self._pen_now()
        width = pen.width
        self._layout(width)
        note = self._note(y)
        found = self._row(y) if note is None else None
        if found is None:
            return self._label(note or "", y, pen)
        index, content = found
        focused = self.active and index == self.cursor
        under = pen.focused if focused else pen.base
        if focused:
            edge = pen.edge_focus
        elif self.messages[index].role is Role.USER:
            edge = pen.edge_user
        else:
            edge = pen.edge
        here = Style.from_meta({"offset": (0, y)})
        # One strip, built at once: what Strip.join, crop_extend, apply_offsets and
        # apply_style would make in six steps, each a new Strip and a new Style for each
        # segment (most of a line's cost, when paging). A segment's colours are added
        # before its offset: the few pairs of colours are cached, offsets never repeat.
        segments = [Segment(BORDER, under + edge + here), Segment(" ", under + here)]
        x = 0
        for text, style, _ in self._selected(content, y):
            colours = under + style if style else under
            segments.append(Segment(text, colours + Style.from_meta({"offset": (x, y)})))
            x += len(text)
        end = Style.from_meta({"offset": (len(content.text), y)})
        segments.append(Segment(" ", under + end))
        used = GUTTER + content.cell_length
        if used < width:
            segments.append(Segment(" " * (width - used), under))
        line = Strip(segments, max(used, width))
        return line if used <= width else line.crop(0, width)

    def _label(self, text: str, y: int, pen: _Pen) -> Strip:
        """A line of the "N earlier / later messages" notes, or a blank line."""
        width = pen.width
        if not text:  # the line between two messages, the commonest of all: at once
            here = Style.from_meta({"offset": (0, y)})
            # the empty first segment is what the general case below makes of ""
            return Strip(
                [Segment("", pen.base + pen.gap + here), Segment(" " * width, pen.base + here)]
            )
        line = self._selected(Strip([Segment(text[:width], pen.gap)]), y)
        return line.extend_cell_length(width).apply_offsets(0, y).apply_style(pen.base)

    def _selected(self, line: Strip, y: int) -> Strip:
        """`line` with the part the mouse selected on row `y` highlighted."""
        selection = self.text_selection
        span = selection.get_span(y) if selection is not None else None
        if span is None:
            return line
        start, end = span
        end = len(line.text) if end == -1 else min(end, len(line.text))
        if start >= end:
            return line
        style = self.screen.get_component_rich_style("screen--selection")
        before, chosen, after = line.divide([start, end, line.cell_length])
        return Strip.join([before, chosen.apply_style(style), after])

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text: what the messages say, without their borders."""
        self._layout(self.size.width)
        lines = []
        for y in range(self._total):
            note, found = self._note(y), self._row(y)
            lines.append(note if note is not None else found[1].text.rstrip() if found else "")
        return selection.extract("\n".join(lines)), "\n"

    # -- the cursor ------------------------------------------------------------------

    @property
    def current(self) -> Message | None:
        if self.cursor is None or not 0 <= self.cursor < len(self.messages):
            return None
        return self.messages[self.cursor]

    def select(self, index: int) -> None:
        """Put the cursor on message `index` and tell the transcript."""
        if not self.messages:
            return
        index = max(0, min(len(self.messages) - 1, index))
        old, self.cursor = self.cursor, index
        self._refresh_message(old)
        self._refresh_message(index)
        self.post_message(self.Focused(self.messages[index]))

    def _refresh_message(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.messages) and self._width > 0:
            self.refresh(self.region_of(index))

    def set_active(self, active: bool) -> None:
        """The transcript got or lost the focus: draw the cursor, or stop drawing it."""
        self.active = active
        if active and self.cursor is None:
            self.select(len(self.messages) - 1)
        elif active and self.current is not None:
            self.post_message(self.Focused(self.current))
        self._refresh_message(self.cursor)

    def on_click(self, event: events.Click) -> None:
        index = self.index_at(event.y)
        if index is not None:
            self.select(index)  # the click focused the transcript
