"""The switcher's fuzzy ranking: one ranking, however the query was reached."""

from __future__ import annotations

import random

from tui.engine.util.fuzzy import Ranker, score


def _plain_rank(query: str, titles: list[str], limit: int = 50) -> list[str]:
    """Every title scored afresh, best first, ties in input order: what ranking means."""
    scored = [(-s, i) for i, t in enumerate(titles) if (s := score(query.strip(), t)) is not None]
    return [titles[i] for _, i in sorted(scored)[:limit]] if query.strip() else titles[:limit]


def test_typing_a_query_key_by_key_ranks_as_a_fresh_search_does() -> None:
    rng = random.Random(7)
    words = ["billing", "cache", "Bug", "fix", "refactor", "notes", "api", "login", "db"]
    titles = [" ".join(rng.choices(words, k=rng.randint(1, 4))) + f" {i}" for i in range(3000)]
    ranker = Ranker(titles, key=str)
    for typed in ["billing s", "cache 9", "bUg fix", "zz", "b", "db 12"]:
        for end in range(len(typed) + 1):  # each key, as typed
            query = typed[:end]
            assert ranker.rank(query) == _plain_rank(query, titles), query
        for end in range(len(typed), -1, -1):  # and backspaced away again
            assert ranker.rank(typed[:end], limit=10) == _plain_rank(typed[:end], titles, 10)


def test_a_substring_outranks_scattered_letters_and_earlier_wins_a_tie() -> None:
    ranker = Ranker(["b i l l", "my billing", "billing b", "billing a"], key=str)
    assert ranker.rank("bill") == ["billing b", "billing a", "my billing", "b i l l"]
