"""What the main screen's session tree lists: at a start the newest families (the
store's short list of them), then every session, read a few files between frames."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tui.app.widgets.session_tree import PAGE, SessionTree, arrange

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


class TreeListing:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.tree: SessionTree | None = None  # once started (it outlives the screen's DOM)

    def start(self) -> str:
        """Fill the tree for a start (a first start's welcome session made if the store
        is empty); the most recent session's id, which a start opens."""
        screen, engine = self.screen, self.screen.engine
        screenful = min(PAGE, screen.app.size.height)  # families: lines of a collapsed tree
        first = engine.first_rows(screenful)  # the newest families, not the whole index
        if not first.rows:
            from tui.app.welcome import create_welcome

            create_welcome(engine)
            first = engine.first_rows(screenful)
        tree = self.tree = screen.session_tree
        tree.populate(first.rows, first.session, complete=first.complete, shown=first.shown)
        if not first.complete:  # after the first paint
            screen.call_after_refresh(screen.run_worker, self._every_session(), group="listing")
        elif not first.from_list:  # the whole index was read: the next start need not
            screen.call_after_refresh(screen.run_worker, self.save_list(), group="listing")
        return first.rows[0].id

    async def _every_session(self) -> None:
        """The rest of the index, a few files between frames, then the tree from every
        session (unless something rebuilt it whole meanwhile)."""
        screen = self.screen
        tree = screen.session_tree
        for _ in screen.engine.rows_in_steps():
            await asyncio.sleep(0)  # keys and frames go first
            if tree.complete or not tree.is_attached:  # rebuilt whole, or the app closed
                return
        rows = screen.engine.session_rows(include_archived=screen.show_archived)
        arranged = await asyncio.to_thread(arrange, rows)  # the rows alone: no store, no UI
        if not tree.complete and tree.is_attached:
            tree.populate(arranged, screen.engine.session, select=screen.current)
        await self.save_list()

    async def save_list(self) -> None:
        """The store's list of its newest families, for the next start, from the index
        as read now (built and written off the app's thread)."""
        writer = self.screen.engine.recent_list_writer()
        if writer is not None:
            await asyncio.to_thread(writer)

    def save_at_exit(self) -> None:
        """The list again when the app closes, if this run read the whole index (its
        changes since the start are in it then; else the next start reads them)."""
        if self.tree is not None and self.tree.complete:
            writer = self.screen.engine.recent_list_writer()
            if writer is not None:
                writer()

    def refresh(self) -> None:
        """The tree again from every session (archived ones too while they are shown)."""
        screen = self.screen
        rows = screen.engine.session_rows(include_archived=screen.show_archived)
        screen.session_tree.populate(rows, screen.engine.session, select=screen.current)

    def refresh_node(self, session_id: str) -> None:
        """One session's line (title, count, age): the whole tree is rebuilt once a run
        ends, not on every turn (it costs tens of ms in a large store)."""
        screen = self.screen
        if not screen.session_tree.refresh_session(screen.engine.session(session_id)):
            self.refresh()
