"""The session switcher: type a title (fuzzy) or an id prefix, Enter jumps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from textual.widgets import Input
from textual.widgets.option_list import Option

from tui.app.screens.filter_list import FilterListScreen
from tui.engine import Engine
from tui.engine.sessions.model import Session
from tui.engine.util.fuzzy import Ranker
from tui.engine.util.humanize import age

READ_BUDGET = 0.03  # seconds of reading the store before the switcher shows, at most
NEWEST = 40  # families listed at once while a large store is read ...
SHOWN = 200  # ... and at most this many of their sessions


@dataclass
class SessionSource:
    """What the switcher lists: `every()` once `steps` have run (a large store is read
    between keys and frames), and `newest()` meanwhile if that takes a while."""

    newest: Callable[[], list[Session]]
    every: Callable[[], list[Session]]
    steps: Iterator[None] = field(default_factory=lambda: iter(()))

    @classmethod
    def of(cls, sessions: list[Session]) -> SessionSource:
        return cls(lambda: sessions, lambda: sessions)

    @classmethod
    def from_engine(
        cls, engine: Engine, leave_out: str | None = None, last: str | None = None
    ) -> SessionSource:
        """Every session but `leave_out`, newest first, `last` moved to the end (on a
        tie the switcher prefers where you are not)."""

        def arranged(sessions: list[Session]) -> list[Session]:
            kept = [s for s in sessions if s.id != leave_out and s.id != last]
            return kept + [s for s in sessions if s.id == last and s.id != leave_out]

        def newest() -> list[Session]:  # the newest families, from the start's list
            first = engine.first_rows(NEWEST)
            return arranged([first.session(row.id) for row in first.rows[:SHOWN]])

        return cls(newest, lambda: arranged(engine.sessions()), engine.sessions_in_steps())


class SwitcherScreen(FilterListScreen[str]):
    """Returns the chosen session id, or None on Escape."""

    def __init__(
        self,
        sessions: SessionSource | list[Session],
        placeholder: str = "Switch to session… (type to filter)",
    ) -> None:
        super().__init__(placeholder)
        self.source = (
            sessions if isinstance(sessions, SessionSource) else SessionSource.of(sessions)
        )
        self.reading = False  # the store is still being read: `sessions` are the newest
        self._use([])

    def _use(self, sessions: list[Session]) -> None:
        self.sessions = sessions
        self._ranker = Ranker(sessions, key=lambda s: s.title)

    def on_mount(self) -> None:
        deadline = time.monotonic() + READ_BUDGET
        for _ in self.source.steps:  # a small store is read whole before the first frame
            if time.monotonic() > deadline:
                self.reading = True
                break
        self._use(self.source.newest() if self.reading else self.source.every())
        super().on_mount()
        if self.reading:
            self.set_status("reading every session… the newest are listed meanwhile")
            self.run_worker(self._read_the_rest(), group="switcher-read")

    async def _read_the_rest(self) -> None:
        for _ in self.source.steps:
            await asyncio.sleep(0)  # keys and frames go between the store's files
        self._use(self.source.every())
        self.reading = False
        self.set_status(None)
        self.refill(self.query_one(Input).value)

    def options(self, query: str) -> list[Option]:
        wanted = query.strip().lower()
        by_id = (
            [s for s in self.sessions if s.id.startswith(wanted)]
            if len(wanted) >= 4 and all(c in "0123456789abcdef" for c in wanted)
            else []
        )  # an id prefix (as `forktree list` prints) goes first, then title matches
        by_title = [s for s in self._ranker.rank(query) if s not in by_id]
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
