"""Live across machines: on a shared (PostgreSQL) store, what other clients commit —
new sessions, forks, renames, a reply streaming on another machine — shows here as it
commits. A thread listens (LISTEN/NOTIFY); the screen redraws on the app's loop."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tui.engine import ForktreeError

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


class StoreWatch:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.stop = threading.Event()
        self.ready = threading.Event()  # the listener is connected

    def start(self) -> None:
        if hasattr(self.screen.engine.store, "listen"):
            self.screen.run_worker(self._listen, thread=True, group="store-watch")

    def _listen(self) -> None:
        store = self.screen.engine.store
        worker = get_current_worker()
        for change in store.listen(self.stop, self.ready):  # type: ignore[attr-defined]
            if worker.is_cancelled:
                return
            self.screen.app.call_from_thread(self._schedule, change)

    def _schedule(self, change: dict[str, list[str]]) -> None:
        # exclusive: a burst of commits (a reply streaming elsewhere) redraws once
        self.screen.run_worker(self.changed(change), group="remote-change", exclusive=True)

    async def changed(self, change: dict[str, list[str]]) -> None:
        """Another client committed: the tree again, and the open session if it moved."""
        screen = self.screen
        if not screen.is_attached:
            return
        screen.refresh_tree()
        sid = screen.current
        if sid is None or screen.is_streaming(sid):
            return
        try:
            root = screen.engine.session(sid).root_id
        except ForktreeError:  # deleted by the other client: the tree shows what is left
            return
        if root in change.get("roots", ()) or sid in change.get("sessions", ()):
            await screen.open_session(sid)

    def close(self) -> None:
        self.stop.set()
