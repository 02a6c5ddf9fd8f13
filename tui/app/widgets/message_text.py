"""What every view of a message shares: its role line, and its Markdown body as Rich
draws it (through one shared parser). Loaded at start-up, unlike the live view."""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.markdown import Markdown as RichMarkdown

from tui.engine.sessions.model import Message, MessageStatus

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


_PARSER = MarkdownIt().enable("strikethrough").enable("table")  # what Rich's Markdown uses


class SharedParserMarkdown(RichMarkdown):
    """Rich's Markdown, parsed by one shared MarkdownIt: Rich builds a new parser for
    every instance, which costs more than parsing a short message (0.4 ms each)."""

    def __init__(self, markup: str, code_theme: str) -> None:  # no super(): no new parser
        self.markup = markup
        self.parsed = _PARSER.parse(markup)
        self.code_theme = code_theme
        self.justify = None
        self.style = "none"
        self.hyperlinks = True
        self.inline_code_lexer = None
        self.inline_code_theme = code_theme


def rich_markdown(text: str, dark: bool) -> RichMarkdown:
    """Settled Markdown (a whole message, or the finished start of a live reply)."""
    return SharedParserMarkdown(text, "monokai" if dark else "default")
