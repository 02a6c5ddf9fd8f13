"""The session switcher: type a title (fuzzy) or an id prefix, Enter jumps."""

from __future__ import annotations

from textual.widgets.option_list import Option

from tui.app.screens.filter_list import FilterListScreen
from tui.engine.sessions.model import Session
from tui.engine.util.fuzzy import rank
from tui.engine.util.humanize import age


class SwitcherScreen(FilterListScreen[str]):
    """Returns the chosen session id, or None on Escape."""

    def __init__(
        self, sessions: list[Session], placeholder: str = "Switch to session… (type to filter)"
    ) -> None:
        super().__init__(placeholder)
        self.sessions = sessions

    def options(self, query: str) -> list[Option]:
        wanted = query.strip().lower()
        by_id = (
            [s for s in self.sessions if s.id.startswith(wanted)]
            if len(wanted) >= 4 and all(c in "0123456789abcdef" for c in wanted)
            else []
        )  # an id prefix (as `forktree list` prints) goes first, then title matches
        by_title = [s for s in rank(query, self.sessions, key=lambda s: s.title) if s not in by_id]
        return [
            Option(
                f"{'↳ ' if s.parent_session_id else ''}{s.title}  · "
                f"{s.totals.messages} msgs · {age(s.updated)}",
                id=s.id,
            )
            for s in [*by_id, *by_title]
        ]

    def pick(self, option_id: str, typed: str) -> None:
        if option_id:
            self.dismiss(option_id)
