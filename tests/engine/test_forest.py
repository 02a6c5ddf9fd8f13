"""The forest the tree and `forktree tree` show: families, forks under their parents."""

from __future__ import annotations

from tui.engine.sessions.forest import Node, build_forest
from tui.engine.sessions.model import SessionRow


def row(sid: str, created: float, parent: str | None = None, root: str | None = None,
        updated: float | None = None) -> SessionRow:  # fmt: skip
    return SessionRow(sid, root or sid, parent, created, created if updated is None else updated,
                      False)  # fmt: skip


def shape(nodes: list[Node[SessionRow]]) -> list[object]:
    return [(n.session.id, shape(n.children)) if n.children else n.session.id for n in nodes]


def test_forks_nest_under_their_parent_oldest_first_and_families_by_last_activity() -> None:
    rows = [
        row("a", 1.0),
        row("a2", 5.0, parent="a", root="a"),
        row("a1", 3.0, parent="a", root="a"),
        row("a1x", 4.0, parent="a1", root="a"),
        row("b", 2.0, updated=9.0),  # older than a, but active more recently
        row("c", 6.0),
    ]
    assert shape(build_forest(rows)) == ["b", "c", ("a", [("a1", ["a1x"]), "a2"])]


def test_a_fork_whose_parent_is_missing_shows_at_the_top_of_its_family() -> None:
    rows = [row("a", 1.0), row("a1", 2.0, parent="a", root="a"), row("a1x", 3.0, "a1", "a")]
    without_a1 = [r for r in rows if r.id != "a1"]
    assert shape(build_forest(without_a1)) == ["a1x", "a"]  # same family: newest first


def test_a_session_that_names_itself_as_parent_or_a_cycle_does_not_hang() -> None:
    rows = [row("s", 1.0, parent="s"), row("x", 2.0, parent="y"), row("y", 3.0, parent="x")]
    roots = build_forest(rows)
    assert shape(roots) == ["s"]  # the cycle has no way in from the top, as before
    assert [n.session.id for _, n in roots[0].walk()] == ["s"]
