"""The model picker: choose the provider and model for the session's next replies."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...engine.fuzzy import rank
from ...engine.pricing import price_table
from ...engine.providers.registry import ProviderInfo

Choice = tuple[str, str]


def choices(providers: dict[str, ProviderInfo]) -> list[Choice]:
    """(provider, model) pairs: each provider's default, then known models of its kind."""
    out: list[Choice] = []
    known = list(price_table())
    for info in providers.values():
        models = [info.model]
        if info.kind == "anthropic":
            models += [m for m in known if m.startswith("claude-")]
        elif info.kind == "openai" and info.name == "openai" and not info.base_url:
            models += [m for m in known if m.startswith(("gpt-", "o3", "o4"))]
        for model in dict.fromkeys(models):
            out.append((info.name, model))
    return out


class ModelPickerScreen(ModalScreen[Choice | None]):
    """Type to filter; Enter picks. `provider/model` typed in full picks a model not listed."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="models.close"),
        Binding("down", "cursor(1)", "Down", show=False, id="models.down"),
        Binding("up", "cursor(-1)", "Up", show=False, id="models.up"),
    ]

    def __init__(self, providers: dict[str, ProviderInfo], current: Choice) -> None:
        super().__init__()
        self.providers = providers
        self.all = choices(providers)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="switcher"):
            yield Label(f" model for this session (now {self.current[0]}/{self.current[1]})")
            yield Input(placeholder="filter, or type provider/model", id="switcher-input")
            yield OptionList(id="switcher-list")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for provider, model in rank(query, self.all, key=lambda c: f"{c[0]}/{c[1]}"):
            mark = "● " if (provider, model) == self.current else "  "
            options.add_option(Option(f"{mark}{provider}/{model}", id=f"{provider}/{model}"))
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

    def _pick(self, value: str) -> None:
        provider, _, model = value.partition("/")
        if provider in self.providers and model:
            self.dismiss((provider, model))
        else:
            self.notify(
                f"unknown provider {provider!r}; configured: {', '.join(self.providers)}",
                severity="error",
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if "/" in event.value and (
            options.highlighted is None
            or event.value not in str(options.get_option_at_index(options.highlighted).id)
        ):
            self._pick(event.value.strip())
        elif options.highlighted is not None:
            self._pick(str(options.get_option_at_index(options.highlighted).id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(str(event.option.id))
