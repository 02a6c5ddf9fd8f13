"""The session switcher: type to fuzzy-filter sessions by title, Enter jumps."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ...engine.fuzzy import rank
from ...engine.humanize import age
from ...engine.model import Session


class SwitcherScreen(ModalScreen[str | None]):
    """Returns the chosen session id, or None on Escape."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="switcher.close"),
        Binding("down", "cursor(1)", "Down", show=False, id="switcher.down"),
        Binding("up", "cursor(-1)", "Up", show=False, id="switcher.up"),
    ]

    def __init__(
        self, sessions: list[Session], placeholder: str = "Switch to session… (type to filter)"
    ) -> None:
        super().__init__()
        self.sessions = sessions
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="switcher"):
            yield Input(placeholder=self.placeholder, id="switcher-input")
            yield OptionList(id="switcher-list")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for s in rank(query, self.sessions, key=lambda s: s.title):
            fork = "↳ " if s.parent_session_id else ""
            options.add_option(
                Option(f"{fork}{s.title}  · {s.totals.messages} msgs · {age(s.updated)}", id=s.id)
            )
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
