"""Sessions arranged as trees: families, with each fork under the session it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # a Protocol class costs milliseconds to make at import
    from typing import Protocol

    class Placed(Protocol):
        """What places a session in the forest: a Session, or a SessionRow."""

        @property
        def id(self) -> str: ...
        @property
        def root_id(self) -> str: ...
        @property
        def parent_session_id(self) -> str | None: ...
        @property
        def created(self) -> float: ...
        @property
        def updated(self) -> float: ...


S = TypeVar("S", bound="Placed")


@dataclass(slots=True)
class Node(Generic[S]):
    session: S
    children: list[Node[S]] = field(default_factory=list)

    def walk(self, depth: int = 0) -> list[tuple[int, Node[S]]]:
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.walk(depth + 1))
        return out


def build_forest(sessions: list[S]) -> list[Node[S]]:
    """Top-level nodes, most recently active family first; forks oldest first.

    A session whose parent is not in `sessions` (deleted, archived, filtered out)
    shows at the top level of its family rather than disappearing."""
    nodes = {s.id: Node(s) for s in sessions}
    roots: list[Node[S]] = []
    for session in sorted(sessions, key=lambda s: s.created):
        node = nodes[session.id]
        parent = nodes.get(session.parent_session_id or "")
        if parent is not None and parent is not node:
            parent.children.append(node)
        else:
            roots.append(node)
    last_active: dict[str, float] = {}
    for s in sessions:
        last_active[s.root_id] = max(last_active.get(s.root_id, 0.0), s.updated)
    roots.sort(key=lambda n: (last_active[n.session.root_id], n.session.created), reverse=True)
    return roots
