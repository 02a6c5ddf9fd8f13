"""One message in the transcript: a role line and its Markdown body, focusable."""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from ...engine.model import Message, MessageStatus

ROLE_LABELS = {"user": "you", "assistant": "assistant", "system": "system", "tool": "tool"}


def role_line(message: Message) -> str:
    label = ROLE_LABELS.get(message.role.value, message.role.value)
    if message.model and message.role.value == "assistant":
        label += f" · {message.model}"
    extras = []
    if message.status is MessageStatus.INTERRUPTED:
        extras.append("interrupted")
    elif message.status is MessageStatus.ERROR:
        extras.append("error")
    elif message.status is MessageStatus.STREAMING:
        extras.append("streaming…")
    tools = sum(1 for p in message.parts if p.kind == "tool_use")
    if tools:
        extras.append(f"{tools} tool call{'s' if tools > 1 else ''}")
    if any(p.kind == "thinking" for p in message.parts):
        extras.append("thinking")
    return label + (f"  [{', '.join(extras)}]" if extras else "") + " ›"


def body_of(message: Message) -> str:
    text = message.text
    if message.error and message.status is not MessageStatus.COMPLETE:
        text += f"\n\n> **{message.status.value}:** {message.error}"
    return text


def streaming_parser() -> MarkdownIt:
    """GFM without linkify: linkify re-scans the whole growing block on every write
    (O(n) per token); bare URLs link once the session is reopened."""
    return MarkdownIt("gfm-like", {"linkify": False})


class MessageView(Vertical, can_focus=True):
    """A message; `message` is replaced as the reply streams and when it finishes."""

    def __init__(self, message: Message) -> None:
        super().__init__(classes=f"message -{message.role.value} -{message.status.value}")
        self.message = message
        self._stream: MarkdownStream | None = None

    def compose(self) -> ComposeResult:
        yield Static(role_line(self.message), classes="role")
        if self.message.status is MessageStatus.STREAMING:
            # live: Textual's Markdown grows block by block as tokens arrive
            yield Markdown(body_of(self.message), classes="body", parser_factory=streaming_parser)
        else:
            # settled: one Static holding Rich's Markdown renderable is far cheaper to
            # mount and lay out than a widget per block (long transcripts, start-up)
            dark = self.app.current_theme.dark
            yield Static(
                RichMarkdown(
                    body_of(self.message),
                    code_theme="monokai" if dark else "default",
                    hyperlinks=True,
                ),
                classes="body",
            )

    @property
    def body(self) -> Markdown:
        return self.query_one(".body", Markdown)

    async def write(self, delta: str) -> None:
        if self._stream is None:
            self._stream = Markdown.get_stream(self.body)
        await self._stream.write(delta)

    async def finish(self, message: Message) -> None:
        """Stop streaming and render the final text once (marks interrupted/error)."""
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
        self.set_message(message)
        await self.body.update(body_of(message))

    def set_message(self, message: Message) -> None:
        self.remove_class(f"-{self.message.status.value}")
        self.message = message
        self.add_class(f"-{message.status.value}")
        self.query_one(".role", Static).update(role_line(message))
