"""Keeps an open imported session live: while the agent that owns it (Claude Code,
Codex) writes to its file, the new messages appear within a second or so."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tui.engine import ForktreeError
from tui.engine.importers.live import refresh_from_source, source_signature

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen

INTERVAL = 1.0  # seconds between checks of the open session's source file


class SourceWatch:
    """Checks the open session's source file (a stat) every INTERVAL seconds."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.seen: dict[str, tuple[int, int]] = {}
        self.busy = False
        self.interval = INTERVAL

    def start(self) -> None:
        self.screen.set_interval(self.interval, self.tick)

    async def tick(self) -> None:
        screen = self.screen
        sid = screen.current
        if sid is None or self.busy or screen.is_streaming(sid):
            return  # forktree drives it now: its own turns bring the messages
        try:
            session = screen.engine.session(sid)
        except ForktreeError:  # deleted meanwhile: nothing to watch
            return
        signature = source_signature(session)
        if signature is None:
            return
        before = self.seen.setdefault(sid, signature)
        if before == signature:
            return
        self.seen[sid] = signature
        self.busy = True
        try:
            read = await asyncio.to_thread(refresh_from_source, screen.engine, session)
        except (ForktreeError, OSError, ValueError) as exc:  # said, never a crash
            screen.notify(f"could not read {session.origin.source_path}: {exc}", severity="warning")
            return
        finally:
            self.busy = False
        if read and screen.current == sid:
            screen.refresh_tree()
            await screen.open_session(sid)
