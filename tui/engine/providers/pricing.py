"""Token prices per model, kept as data in prices.json, turned into USD."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from tui.engine.sessions.model import Usage

PRICES = Path(__file__).with_name("prices.json")


@cache
def price_table() -> dict[str, tuple[float, float]]:
    raw = json.loads(PRICES.read_text(encoding="utf-8"))
    return {k: (float(v[0]), float(v[1])) for k, v in raw.items() if not k.startswith("_")}


@cache
def prices_for(model: str | None, provider: str | None = None) -> tuple[float, float] | None:
    """(input, output) USD per million tokens, or None when the model is unknown."""
    if provider in ("ollama", "echo"):
        return (0.0, 0.0)
    if not model:
        return None
    table = price_table()
    if model in table:
        return table[model]
    matches = [k for k in table if model.startswith(k)]
    return table[max(matches, key=len)] if matches else None


def with_cost(usage: Usage, model: str | None, provider: str | None = None) -> Usage:
    """Fill in cost_usd from the price table when the provider did not say it."""
    if usage.cost_usd is not None or usage.input_tokens is None or usage.output_tokens is None:
        return usage
    prices = prices_for(model, provider)
    if prices is None:
        return usage
    cost = (usage.input_tokens * prices[0] + usage.output_tokens * prices[1]) / 1_000_000
    return Usage(usage.input_tokens, usage.output_tokens, round(cost, 8))


def estimate_cost(
    input_chars: int, max_output_tokens: int, model: str | None, provider: str | None = None
) -> float | None:
    """A ceiling for one turn's cost: ~4 characters a token in, max_tokens out."""
    prices = prices_for(model, provider)
    if prices is None:
        return None
    return (input_chars / 4 * prices[0] + max_output_tokens * prices[1]) / 1_000_000
