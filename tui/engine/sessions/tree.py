"""Branch algebra over the message tree: ancestry, fork points, common ancestors, diffs.

Pure functions over a lookup `get(message_id) -> Message`; they never touch the store.
Every message carries its depth, so ancestor tests and common ancestors walk only
the part of the tree that differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tui.engine.errors import ForktreeError
from tui.engine.sessions.model import Message

Lookup = Callable[[str], Message]


class TreeError(ValueError):
    """A message is not where the operation needs it to be."""


class BrokenHistoryError(ForktreeError):
    """A stored parent chain loops back on itself (`forktree doctor --repair` fixes it)."""


def ancestry(head_id: str | None, get: Lookup) -> list[Message]:
    """The transcript ending at `head_id`, root first. A chain that loops (a damaged or
    hand-edited file) is reported, never walked forever."""
    chain: list[Message] = []
    seen: set[str] = set()
    current = head_id
    while current is not None:
        if current in seen:
            raise BrokenHistoryError(
                f"the history of message {current[:8]} loops back on itself; "
                "run `forktree doctor --repair`"
            )
        seen.add(current)
        message = get(current)
        chain.append(message)
        current = message.parent_id
    chain.reverse()
    return chain


def ancestor_at_depth(message: Message, depth: int, get: Lookup) -> Message:
    """Walk up from `message` to its ancestor at `depth` (0 is the root)."""
    if depth > message.depth or depth < 0:
        raise TreeError(f"no ancestor at depth {depth} above depth {message.depth}")
    while message.depth > depth:
        if message.parent_id is None:
            raise TreeError(f"message {message.id[:8]} has a broken parent chain")
        message = get(message.parent_id)
    return message


def is_ancestor(candidate_id: str, head_id: str | None, get: Lookup) -> bool:
    """True when `candidate_id` is `head_id` or one of its ancestors."""
    if head_id is None:
        return False
    candidate = get(candidate_id)
    head = get(head_id)
    if candidate.depth > head.depth:
        return False
    return ancestor_at_depth(head, candidate.depth, get).id == candidate_id


def common_ancestor(a_id: str | None, b_id: str | None, get: Lookup) -> Message | None:
    """The deepest message both heads descend from, or None when they share nothing."""
    if a_id is None or b_id is None:
        return None
    a, b = get(a_id), get(b_id)
    depth = min(a.depth, b.depth)
    a = ancestor_at_depth(a, depth, get)
    b = ancestor_at_depth(b, depth, get)
    while a.id != b.id:
        if a.parent_id is None or b.parent_id is None:
            return None
        a, b = get(a.parent_id), get(b.parent_id)
    return a


@dataclass(frozen=True, slots=True)
class BranchDiff:
    """Two transcripts split at their common ancestor."""

    ancestor: Message | None
    shared: int
    tail_a: list[Message]
    tail_b: list[Message]


def _tail(head_id: str | None, stop_depth: int, get: Lookup) -> list[Message]:
    tail: list[Message] = []
    current = head_id
    while current is not None:
        message = get(current)
        if message.depth <= stop_depth:
            break
        tail.append(message)
        current = message.parent_id
    tail.reverse()
    return tail


def branch_diff(a_id: str | None, b_id: str | None, get: Lookup) -> BranchDiff:
    """Common ancestor of two heads and the two diverging tails, each root-first."""
    ancestor = common_ancestor(a_id, b_id, get)
    stop = ancestor.depth if ancestor else -1
    return BranchDiff(
        ancestor=ancestor,
        shared=stop + 1,
        tail_a=_tail(a_id, stop, get),
        tail_b=_tail(b_id, stop, get),
    )


def reachable(heads: Iterable[str | None], get: Lookup) -> set[str]:
    """Every message id some head in `heads` can reach."""
    seen: set[str] = set()
    for head in heads:
        current = head
        while current is not None and current not in seen:
            seen.add(current)
            current = get(current).parent_id
    return seen
