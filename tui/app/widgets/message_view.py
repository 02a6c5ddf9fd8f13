"""The streaming reply's view, and where a live reply can settle. Loaded when a reply
first streams: Textual's Markdown widget is not needed before."""

from __future__ import annotations

import asyncio

from markdown_it import MarkdownIt
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from tui.app.widgets.message_text import body_of, rich_markdown, role_line
from tui.engine.sessions.model import Message

SETTLE_BLOCKS = 8  # finished paragraphs a live reply keeps as widgets before settling them
_FENCE = ("```", "~~~")


def settle_point(text: str, blocks: int = SETTLE_BLOCKS) -> int | None:
    """Where `text` can be cut so at least `blocks` finished paragraphs come before the
    cut: just after the last blank line outside a code fence. None when it cannot yet."""
    fenced = False
    boundaries: list[int] = []
    position = 0
    previous_blank = True
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith(_FENCE):
            fenced = not fenced
        blank = not stripped
        if blank and not fenced and not previous_blank:
            boundaries.append(position + len(line))
        previous_blank = blank
        position += len(line)
    if not text.endswith("\n") and boundaries and boundaries[-1] >= len(text):
        boundaries.pop()  # the last line is still being written
    return boundaries[-1] if len(boundaries) >= blocks else None


def streaming_parser() -> MarkdownIt:
    """GFM without linkify: linkify re-scans the whole growing block on every write
    (O(n) per token); bare URLs link once the session is reopened."""
    return MarkdownIt("gfm-like", {"linkify": False})


class MessageView(Widget, can_focus=True):
    """The reply that is streaming: a role line and Textual's streaming Markdown,
    which keeps only its last few paragraphs (finished ones settle into Statics
    above it, so every layout while it streams stays small). Once it ends, the
    transcript moves the message into its `History`."""

    DEFAULT_CSS = """
    MessageView { height: auto; layout: vertical; }
    """

    def __init__(self, message: Message) -> None:
        super().__init__(classes=f"message -live -{message.role.value} -{message.status.value}")
        self.message = message
        self._stream: MarkdownStream | None = None
        self._live: list[str] = []  # text in the live Markdown widget since it started
        self._lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Static(role_line(self.message), classes="role")
        yield Markdown(body_of(self.message), classes="body", parser_factory=streaming_parser)

    @property
    def body(self) -> Markdown:
        return self.query_one(".body", Markdown)

    async def write(self, delta: str) -> None:
        async with self._lock:
            if self._stream is None:
                self._stream = Markdown.get_stream(self.body)
            await self._stream.write(delta)
            self._live.append(delta)
            if "\n" in delta:
                await self._settle()

    async def _settle(self) -> None:
        text = "".join(self._live)
        self._live = [text]
        cut = settle_point(text)
        if cut is None or self._stream is None:
            return
        await self._stream.stop()
        settled = Static(
            rich_markdown(text[:cut], self.app.current_theme.dark), classes="body-part"
        )
        await self.mount(settled, before=self.body)
        self._live = [text[cut:]]
        await self.body.update(text[cut:])
        self._stream = Markdown.get_stream(self.body)

    async def stop(self) -> None:
        """No more text comes (the reply ended or was stopped)."""
        async with self._lock:
            if self._stream is not None:
                await self._stream.stop()
                self._stream = None

    def set_message(self, message: Message) -> None:
        self.remove_class(f"-{self.message.status.value}")
        self.message = message
        self.add_class(f"-{message.status.value}")
        self.query_one(".role", Static).update(role_line(message))
