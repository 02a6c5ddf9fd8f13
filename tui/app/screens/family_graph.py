"""One session family as a graph: each branch a row of dots from where it forked, the open
one, the winners of fan-outs and the archived marked; Enter opens a branch."""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.screens.filter_list import FilterListScreen
from tui.engine.sessions.forest import build_forest
from tui.engine.sessions.model import Session

LABEL_ROOM = 44  # columns kept for the title and marks


def _winner(session: Session, family: list[Session]) -> bool:
    siblings = [
        s
        for s in family
        if s.id != session.id
        and session.parent_session_id
        and s.parent_session_id == session.parent_session_id
        and s.fork_point_id == session.fork_point_id
    ]
    return bool(siblings) and not session.archived and all(s.archived for s in siblings)


def graph_lines(family: list[Session], current: str | None, width: int) -> list[Option]:
    longest = max((s.totals.messages for s in family), default=1)
    scale = max(1, math.ceil(longest / max(10, width - LABEL_ROOM)))  # messages per column
    options = []
    for root in build_forest(family):
        for _, node in root.walk():
            s = node.session
            start = s.fork_depth + 1 if s.parent_session_id and s.fork_depth is not None else 0
            # a fork's ╰ sits under its fork point; its own messages follow
            indent = max(0, start // scale - 1) if s.parent_session_id else 0
            line = Text(" " * indent, no_wrap=True, overflow="ellipsis")
            if s.parent_session_id:
                line.append("╰", "dim")
            dots = max(1, math.ceil((s.totals.messages - start) / scale))
            style = "bold cyan" if s.id == current else "dim" if s.archived else ""
            line.append("●" * dots, style)
            line.append(f"  {s.title}", "bold" if s.id == current else "")
            marks = [f"{s.totals.messages} msgs"]
            if s.parent_session_id and s.fork_depth is not None:
                marks.append(f"@{s.fork_depth + 1}")
            if _winner(s, family):
                marks.append("★ winner")
            if s.archived:
                marks.append("archived")
            if s.id == current:
                marks.append("◀ open")
            line.append("  " + " · ".join(marks), "dim")
            options.append(Option(line, id=s.id))
    return options


class FamilyGraphScreen(FilterListScreen[str]):
    """Returns the session to open, or None."""

    def __init__(self, family: list[Session], current: str | None) -> None:
        scale_note = "one ● per message (or per few, for long branches)"
        super().__init__("filter branches by title", f" session family · {scale_note}")
        self.family = family
        self.current = current

    def options(self, query: str) -> list[Option]:
        width = self.app.size.width - 8
        lines = graph_lines(self.family, self.current, width)
        if query.strip():
            q = query.strip().lower()
            lines = [o for o in lines if q in str(o.prompt).lower()]
        return lines

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one(OptionList)
        ids = [o.id for o in self.options("")]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
