from __future__ import annotations

import pytest

from tui.engine.sessions import tree
from tui.engine.sessions.model import Message, Role, TextPart


def _build(edges: dict[str, str | None]) -> dict[str, Message]:
    """Messages from child->parent edges; depth follows the parent chain."""
    out: dict[str, Message] = {}

    def make(mid: str) -> Message:
        if mid not in out:
            parent = edges[mid]
            depth = make(parent).depth + 1 if parent else 0
            out[mid] = Message(mid, parent, Role.USER, (TextPart(mid),), 0.0, depth=depth)
        return out[mid]

    for mid in edges:
        make(mid)
    return out


# a - b - c - d
#      \- e - f
#  g (separate root)
TREE = _build({"a": None, "b": "a", "c": "b", "d": "c", "e": "b", "f": "e", "g": None})
get = TREE.__getitem__


def test_ancestry_is_root_first() -> None:
    assert [m.id for m in tree.ancestry("d", get)] == ["a", "b", "c", "d"]
    assert tree.ancestry(None, get) == []


def test_is_ancestor() -> None:
    assert tree.is_ancestor("b", "f", get)
    assert tree.is_ancestor("f", "f", get)
    assert not tree.is_ancestor("c", "f", get)
    assert not tree.is_ancestor("d", "b", get)
    assert not tree.is_ancestor("a", None, get)


def test_common_ancestor_and_diff() -> None:
    assert tree.common_ancestor("d", "f", get).id == "b"
    assert tree.common_ancestor("d", "c", get).id == "c"
    assert tree.common_ancestor("d", "g", get) is None
    diff = tree.branch_diff("d", "f", get)
    assert diff.shared == 2
    assert [m.id for m in diff.tail_a] == ["c", "d"]
    assert [m.id for m in diff.tail_b] == ["e", "f"]


def test_diff_of_a_prefix_has_one_empty_tail() -> None:
    diff = tree.branch_diff("b", "f", get)
    assert diff.ancestor.id == "b"
    assert diff.tail_a == []
    assert [m.id for m in diff.tail_b] == ["e", "f"]


def test_diff_of_unrelated_heads_shares_nothing() -> None:
    diff = tree.branch_diff("d", "g", get)
    assert diff.ancestor is None and diff.shared == 0
    assert len(diff.tail_a) == 4 and [m.id for m in diff.tail_b] == ["g"]


def test_reachable() -> None:
    assert tree.reachable(["d", "g"], get) == {"a", "b", "c", "d", "g"}


def test_ancestor_at_depth_rejects_deeper_targets() -> None:
    with pytest.raises(tree.TreeError):
        tree.ancestor_at_depth(TREE["b"], 3, get)
