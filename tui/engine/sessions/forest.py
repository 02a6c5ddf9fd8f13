"""Sessions arranged as trees: families, with each fork under the session it came from."""

from __future__ import annotations

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


class Node(Generic[S]):
    """A session in the forest. Its children (its forks, oldest first) are made when
    first asked for: a large store's tree builds the families it shows, not all."""

    __slots__ = ("_children", "_kids", "session")

    def __init__(self, session: S, kids: dict[str, list[S]] | None = None) -> None:
        self.session = session
        self._kids = kids or {}
        self._children: list[Node[S]] | None = None

    @property
    def children(self) -> list[Node[S]]:
        if self._children is None:
            found = sorted(self._kids.get(self.session.id, ()), key=_created)
            self._children = [Node(child, self._kids) for child in found]
        return self._children

    def walk(self, depth: int = 0) -> list[tuple[int, Node[S]]]:
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.walk(depth + 1))
        return out


def _created(session: Placed) -> float:
    return session.created


def build_forest(sessions: list[S]) -> list[Node[S]]:
    """Top-level nodes, most recently active family first; forks oldest first.

    A session whose parent is not in `sessions` (deleted, archived, filtered out)
    shows at the top level of its family rather than disappearing."""
    present = {s.id for s in sessions}
    kids: dict[str, list[S]] = {}
    tops: list[S] = []
    last_active: dict[str, float] = {}
    for session in sessions:
        parent = session.parent_session_id
        if parent and parent in present and parent != session.id:
            kids.setdefault(parent, []).append(session)
        else:
            tops.append(session)
        if session.updated > last_active.get(session.root_id, 0.0):
            last_active[session.root_id] = session.updated
    tops.sort(key=_created)  # equal keys below keep the oldest first
    tops.sort(key=lambda s: (last_active.get(s.root_id, 0.0), s.created), reverse=True)
    return [Node(session, kids) for session in tops]
