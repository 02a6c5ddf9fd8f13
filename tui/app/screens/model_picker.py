"""The model picker: choose the provider and model for the session's next replies."""

from __future__ import annotations

from textual.widgets import Input
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


def with_server_models(all_choices: list[Choice], provider: str, models: list[str]) -> list[Choice]:
    """`all_choices` with the server's models of `provider` after its own, once each."""
    have = set(all_choices)
    new = [(provider, m) for m in models if (provider, m) not in have]
    last = max((i for i, c in enumerate(all_choices) if c[0] == provider), default=-1)
    return all_choices[: last + 1] + new + all_choices[last + 1 :]


class ModelPickerScreen(FilterListScreen[Choice]):
    """Type to filter; Enter picks. A `provider/model` typed in full that is not listed is
    offered first, as typed; the servers' own model lists join as they arrive."""

    def __init__(self, providers: dict[str, ProviderInfo], current: Choice) -> None:
        super().__init__(
            "filter, or type provider/model",
            f" model for this session (now {current[0]}/{current[1]})",
        )
        self.providers = providers
        self.all = choices(providers)
        self.current = current

    def on_mount(self) -> None:
        super().on_mount()
        for info in self.providers.values():
            self.run_worker(self._ask_server(info), group="models")

    async def _ask_server(self, info: ProviderInfo) -> None:
        from tui.engine.providers.model_list import server_models

        models, _ = await server_models(info)  # a server that cannot say: the known list
        if models and self.is_attached:
            self.all = with_server_models(self.all, info.name, models)
            self.refill(self.query_one(Input).value)

    def options(self, query: str) -> list[Option]:
        ranked = rank(query, self.all, key=lambda c: f"{c[0]}/{c[1]}")
        typed = query.strip()
        provider, _, model = typed.partition("/")
        exact = [c for c in ranked if f"{c[0]}/{c[1]}" == typed]
        if exact:  # what was typed exactly goes first, ahead of longer names it is part of
            ranked = exact + [c for c in ranked if c not in exact]
        elif provider in self.providers and model:
            ranked = [(provider, model), *ranked]
        return [
            Option(
                f"{'● ' if (p, m) == self.current else '  '}{p}/{m}"
                + ("   (as typed)" if (p, m) not in self.all else ""),
                id=f"{p}/{m}",
            )
            for p, m in ranked
        ]

    def pick(self, option_id: str, typed: str) -> None:
        typed = typed.strip()
        value = option_id or typed
        provider, _, model = value.partition("/")
        if provider in self.providers and model:
            self.dismiss((provider, model))
        else:
            self.notify(
                f"unknown provider {provider!r}; configured: {', '.join(self.providers)}",
                severity="error",
            )
