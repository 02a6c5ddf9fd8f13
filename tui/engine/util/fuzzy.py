"""Fuzzy matching of session titles for the switcher: subsequence, with bonuses."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


def score(query: str, text: str) -> int | None:
    """Higher is better; None when the query's characters are not all in order in text.

    Rewards a contiguous substring most, then matches at word starts and runs."""
    if not query:
        return 0
    return _score(query.lower(), text.lower())


def _score(q: str, t: str) -> int | None:
    """`score` of a lower-cased query in a lower-cased text."""
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
    return Ranker(list(items), key).rank(query, limit)


class Ranker(Generic[T]):
    """`rank` over one list, query after query as a user types: the keys are lowered
    once, and a query that extends the last one scores only what that one matched (a
    text that holds "bil" in order holds "bi"), so each key costs less than the last."""

    def __init__(self, items: Sequence[T], key: Callable[[T], str]) -> None:
        self.items = items
        self._keys = [key(item).lower() for item in items]
        self._last: tuple[str, list[int]] = ("", list(range(len(items))))

    def rank(self, query: str, limit: int = 50) -> list[T]:
        """The best `limit` items for `query`, best first; ties keep the input order."""
        q = query.strip().lower()
        if not q:
            return list(self.items[:limit])
        last, pool = self._last
        if not q.startswith(last):
            pool = range(len(self._keys))  # type: ignore[assignment]
        keys, matched, scored = self._keys, [], []
        for index in pool:
            s = _score(q, keys[index])
            if s is not None:
                matched.append(index)
                scored.append((-s, index))
        self._last = (q, matched)
        return [self.items[index] for _, index in heapq.nsmallest(limit, scored)]
