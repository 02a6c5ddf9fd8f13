"""Live agents: while the app runs, new and growing session files of the watched agents
come in as the agents write them (watchfiles, in a thread); their sessions are marked
live in the tree for a while, and the open one redraws."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from tui.engine.config.settings import load_settings
from tui.engine.importers.watch import agent_roots, watch_agents

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen

LIVE_FOR = 10.0  # seconds a session stays marked live after its agent last wrote


class AgentWatch:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.stop = threading.Event()
        settings = load_settings()[0]
        self.roots = agent_roots(settings.watch_agents, settings.agent_folders)

    def start(self) -> None:
        # a daemon thread of its own, not a Textual worker: the app never waits on it at
        # exit (it sees `stop` within half a second, and a daemon cannot hold the exit)
        if self.roots:
            threading.Thread(target=self._watch, name="agent-watch", daemon=True).start()

    def _watch(self) -> None:
        def changed(agent: str, sessions: list[str]) -> None:
            if self.stop.is_set():
                return
            try:
                self.screen.app.call_from_thread(self._schedule, sessions)
            except RuntimeError:  # the app ended meanwhile: nothing left to draw
                self.stop.set()

        watch_agents(self.screen.engine, self.roots, self.stop, changed)

    def _schedule(self, sessions: list[str]) -> None:
        self.screen.run_worker(self.arrived(sessions), group="agent-arrived", exclusive=True)

    async def arrived(self, sessions: list[str]) -> None:
        screen = self.screen
        if not screen.is_attached:
            return
        tree = screen.session_tree
        tree.live.update(sessions)
        screen.set_timer(LIVE_FOR, lambda: self._quiet(sessions))
        screen.refresh_tree()
        if screen.current in sessions and not screen.is_streaming(screen.current):
            await screen.open_session(screen.current)

    def _quiet(self, sessions: list[str]) -> None:
        self.screen.session_tree.live.difference_update(sessions)
        for sid in sessions:
            self.screen.session_tree.relabel(sid)

    def close(self) -> None:
        self.stop.set()
