"""A modal list filtered as you type: the base of the switcher and the model picker."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

T = TypeVar("T")


class FilterListScreen(ModalScreen[T | None], Generic[T]):
    """Subclasses say what the options are (`options`) and what Enter returns (`pick`)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="filter.close"),
        Binding("down", "cursor(1)", "Down", show=False, id="filter.down"),
        Binding("up", "cursor(-1)", "Up", show=False, id="filter.up"),
    ]

    def __init__(self, placeholder: str, title: str | None = None) -> None:
        super().__init__()
        self.placeholder = placeholder
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical(id="switcher"):
            if self.heading:
                yield Label(self.heading)
            yield Input(placeholder=self.placeholder, id="switcher-input")
            yield Label(id="switcher-status")
            yield OptionList(id="switcher-list")

    def on_mount(self) -> None:
        self.refill("")

    def options(self, query: str) -> list[Option]:
        raise NotImplementedError

    def pick(self, option_id: str, typed: str) -> None:
        """Enter on `option_id` (typed: what is in the input); dismiss to return."""
        # subclasses whose T is not str override pick(); for the rest the id is the result
        self.dismiss(option_id)  # type: ignore[arg-type]

    def set_status(self, text: str | None) -> None:
        """A line under the input (None: no line)."""
        status = self.query_one("#switcher-status", Label)
        status.update(text or "")
        status.display = text is not None

    def refill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self.options(query))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.refill(event.value)

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        chosen = (
            options.get_option_at_index(options.highlighted).id
            if options.highlighted is not None
            else None
        )
        self.pick(str(chosen) if chosen else "", event.value)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.pick(str(event.option.id), self.query_one(Input).value)
