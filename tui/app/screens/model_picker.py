"""The model picker: choose the provider and model for the session's next replies."""

from __future__ import annotations

from textual.widgets.option_list import Option

from tui.app.screens.filter_list import FilterListScreen
from tui.engine.providers.pricing import price_table
from tui.engine.providers.registry import ProviderInfo
from tui.engine.util.fuzzy import rank

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


class ModelPickerScreen(FilterListScreen[Choice]):
    """Type to filter; Enter picks. `provider/model` typed in full picks a model not listed."""

    def __init__(self, providers: dict[str, ProviderInfo], current: Choice) -> None:
        super().__init__(
            "filter, or type provider/model",
            f" model for this session (now {current[0]}/{current[1]})",
        )
        self.providers = providers
        self.all = choices(providers)
        self.current = current

    def options(self, query: str) -> list[Option]:
        return [
            Option(f"{'● ' if (p, m) == self.current else '  '}{p}/{m}", id=f"{p}/{m}")
            for p, m in rank(query, self.all, key=lambda c: f"{c[0]}/{c[1]}")
        ]

    def pick(self, option_id: str, typed: str) -> None:
        typed = typed.strip()
        # a full provider/model typed that is not the highlighted option wins
        value = typed if "/" in typed and typed not in option_id else option_id
        provider, _, model = value.partition("/")
        if provider in self.providers and model:
            self.dismiss((provider, model))
        else:
            self.notify(
                f"unknown provider {provider!r}; configured: {', '.join(self.providers)}",
                severity="error",
            )
