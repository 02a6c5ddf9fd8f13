"""The multi-line prompt: Enter sends, ctrl+j (or alt+enter) inserts a newline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from tui.app.actions.registry import bindings


class PromptArea(TextArea):
    BINDINGS = bindings("prompt")

    @dataclass
    class Submitted(Message):
        """The user pressed Enter on a non-empty prompt."""

        text: str

    class UpFromEmpty(Message):
        """Up was pressed on an empty prompt: the transcript takes the focus."""

    def __init__(self, **kwargs: Any) -> None:  # Widget's own keywords (id, classes…)
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)

    def submit(self) -> None:
        if self.text.strip():
            self.post_message(self.Submitted(self.text))
            self.clear()

    async def _on_key(self, event: events.Key) -> None:
        # Enter is read here, not bound: typed in one burst with the text (a fast typist,
        # tmux send-keys), a binding never sees it and the text area takes it
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            self.submit()
            return
        if event.key == "up" and not self.text:
            event.prevent_default()
            event.stop()
            self.post_message(self.UpFromEmpty())
            return
        await super()._on_key(event)

    def action_newline(self) -> None:
        self.insert("\n")
