"""The session options dialog: title, system prompt, max turns, max budget and tools, for
a new session (ctrl+n), a fork with options, or the open session. Enter applies."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from tui.engine.sessions.options import OptionError, SessionOptions

TOOL_CHOICES = (("the settings' default", "default"), ("on", "on"), ("off", "off"))
FOLDER_CHOICES = (
    ("share the parent's folder", "shared"),
    ("a folder of its own (git worktree, or a copy) at the fork point", "own"),
)


@dataclass(frozen=True, slots=True)
class OptionsChoice:
    """What the dialog returns: a title (None: unchanged / automatic), a system prompt
    ("" for none) and the options."""

    title: str | None
    system_prompt: str
    options: SessionOptions
    worktree: bool = False  # a fork: in a folder of its own


def parse_options(turns: str, budget: str, tools: str, allowed: str) -> SessionOptions:
    """The dialog's fields as options; an OptionError names the field that is wrong."""
    max_turns: int | None = None
    if turns.strip():
        try:
            max_turns = int(turns)
        except ValueError:
            raise OptionError(f"max turns: {turns.strip()!r} is not a whole number") from None
    max_budget: float | None = None
    if budget.strip():
        try:
            max_budget = float(budget.strip().removeprefix("$"))
        except ValueError:
            raise OptionError(f"max budget: {budget.strip()!r} is not an amount") from None
    names = tuple(n.strip() for n in allowed.split(",") if n.strip()) if allowed.strip() else None
    return SessionOptions(
        max_turns=max_turns,
        max_budget_usd=max_budget,
        tools={"on": True, "off": False}.get(tools),
        allowed_tools=names,
    )


class SessionOptionsScreen(ModalScreen[OptionsChoice | None]):
    """Asks for a session's options, filled with `options` and `system_prompt`."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="options.cancel")]

    def __init__(
        self,
        heading: str,
        options: SessionOptions,
        system_prompt: str = "",
        title: str | None = None,
        ask_title: bool = True,
        defaults: SessionOptions | None = None,
        ask_folder: bool = False,
    ) -> None:
        super().__init__()
        self.ask_folder = ask_folder
        self.defaults = defaults or SessionOptions()
        self.heading = heading
        self.options = options
        self.system_prompt = system_prompt
        self.title_value = title or ""
        self.ask_title = ask_title

    def compose(self) -> ComposeResult:
        o, d = self.options, self.defaults
        with Vertical(classes="dialog", id="session-options"):
            yield Label(self.heading, classes="question")
            if self.ask_title:
                yield Label("Title (empty: named after the first prompt)")
                yield Input(self.title_value, id="title")
            yield Label("System prompt")
            yield Input(self.system_prompt, id="system")
            with Horizontal(classes="fields"):
                with Vertical():
                    yield Label("Max turns per prompt")
                    yield Input(
                        "" if o.max_turns is None else str(o.max_turns),
                        placeholder="no limit" if d.max_turns is None else f"{d.max_turns}",
                        id="max-turns",
                    )
                with Vertical():
                    yield Label("Max budget (USD)")
                    yield Input(
                        "" if o.max_budget_usd is None else f"{o.max_budget_usd:g}",
                        placeholder=(
                            "no limit" if d.max_budget_usd is None else f"{d.max_budget_usd:g}"
                        ),
                        id="max-budget",
                    )
            yield Label("Tools")
            tools = "default" if o.tools is None else "on" if o.tools else "off"
            yield Select(TOOL_CHOICES, value=tools, allow_blank=False, id="tools")
            yield Label("Only these tools (comma-separated; empty: all)")
            yield Input(
                ", ".join(o.allowed_tools or ()),
                placeholder=", ".join(d.allowed_tools or ()) or "every tool",
                id="allowed",
            )
            if self.ask_folder:
                yield Label("Folder")
                yield Select(FOLDER_CHOICES, value="shared", allow_blank=False, id="folder")
            yield Label("", id="options-problem", classes="tool-error")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#title" if self.ask_title else "#system", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _apply(self) -> None:
        tools = self.query_one("#tools", Select).value
        try:
            options = parse_options(
                self._value("#max-turns"),
                self._value("#max-budget"),
                str(tools),
                self._value("#allowed"),
            )
        except OptionError as exc:
            self.query_one("#options-problem", Label).update(str(exc))
            return
        title = self._value("#title").strip() if self.ask_title else ""
        worktree = self.ask_folder and self.query_one("#folder", Select).value == "own"
        self.dismiss(
            OptionsChoice(title or None, self._value("#system").strip(), options, worktree)
        )

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._apply()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._apply()
        else:
            self.dismiss(None)
