"""How code, tool input and tool output are drawn in the panes and dialogs."""

from __future__ import annotations

import json

from rich.syntax import Syntax


def code_block(text: str, lexer: str) -> Syntax:
    """Whitespace-preserving, wrapped, on the background of whatever holds it."""
    return Syntax(text, lexer, word_wrap=True, background_color="default", theme="ansi_dark")


def pretty_json(data: object) -> str:
    """A tool call's input as people read it: indented, unicode left as it is."""
    return json.dumps(data, indent=2, ensure_ascii=False)
