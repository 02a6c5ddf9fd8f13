"""Fuzzy matching of session titles for the switcher: subsequence, with bonuses."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def score(query: str, text: str) -> int | None:
    """Higher is better; None when the query's characters are not all in order in text.

    Rewards a contiguous substring most, then matches at word starts and runs."""
    if not query:
        return 0
    q, t = query.lower(), text.lower()
    at = t.find(q)
    if at >= 0:
        return 1000 - at + (50 if at == 0 or not t[at - 1].isalnum() else 0)
    total, pos, run = 0, 0, 0
    for ch in q:
        found = t.find(ch, pos)
        if found < 0:
            return None
        run = run + 1 if found == pos else 0
        word_start = found == 0 or not t[found - 1].isalnum()
        total += 10 + 5 * run + (15 if word_start else 0) - min(found - pos, 10)
        pos = found + 1
    return total


def rank(query: str, items: Iterable[T], key: Callable[[T], str], limit: int = 50) -> list[T]:
    """The best `limit` items for `query`, best first; ties keep the input order."""
    if not query.strip():
        return list(items)[:limit]
    scored = []
    for index, item in enumerate(items):
        s = score(query.strip(), key(item))
        if s is not None:
            scored.append((-s, index, item))
    scored.sort(key=lambda row: (row[0], row[1]))
    return [item for _, _, item in scored[:limit]]
