"""Deciding when the screen is a start-up's first frame, and saving it then.

A start-up opens the most recent session at its end, with the prompt focused and
empty, the tree at its top and the side pane on the session's last reply; the frame
is saved only when the screen is just that (and nothing streams or pops up), so the
next start-up draws what it would have drawn anyway."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from tui.app import first_frame
from tui.engine import Engine, Role
from tui.engine.store.choose import another_handle

if TYPE_CHECKING:
    from tui.app.app import ForktreeApp
    from tui.app.screens.main import MainScreen


def _start_screen(app: ForktreeApp) -> tuple[MainScreen, Path, str] | None:
    """The main screen, its store's folder and the frame's key, when the screen shows a
    start's state as far as the screen itself tells (the newest session is checked
    against the store apart); else None."""
    from tui.app.screens.main import MainScreen

    screen, key = app.screen, app.frame_key
    if key is None or not isinstance(screen, MainScreen) or len(app._notifications):
        return None
    home = embedded_home(screen)
    if home is None or not shows_start_state(screen, newest=screen.current):
        return None
    return screen, home, key


def keep_first_frame(app: ForktreeApp) -> bool:
    """Save the screen for the next start-up made the same way; True if it was. The
    store's version is read before the screen, as in `keep_first_frame_aside`."""
    found = _start_screen(app)
    if found is None:
        return False
    screen, home, key = found
    version = first_frame.version_of(home)
    if not shows_start_state(screen):  # the newest session, as the store says now
        return False
    strips = screen._compositor.render_strips()  # what the terminal shows now
    first_frame.save(key, version, (app.size.width, app.size.height), app.theme, strips)
    return True


async def keep_first_frame_aside(app: ForktreeApp) -> bool:
    """`keep_first_frame` while the app runs: the files it reads (a stat of every index
    file, the store's list of its newest families: ~0.7 s at 100k sessions when the disk
    cache is cold) are read in a thread, with a handle on the store of its own. The
    store's version is read first and the screen after it, so a change made meanwhile
    leaves a frame the next start does not use, never a frame of the older state."""
    found = _start_screen(app)
    if found is None:
        return False
    screen, home, key = found
    version = await asyncio.to_thread(first_frame.version_of, home)
    again = _start_screen(app)
    if again is None or again[0] is not screen:
        return False  # changed meanwhile (the newest session is checked below)
    strips = screen._compositor.render_strips()
    size, theme, shown = (app.size.width, app.size.height), app.theme, screen.current
    store = screen.engine.store

    def newest_then_save() -> bool:
        engine = Engine(another_handle(store))
        try:
            rows = engine.first_rows(1).rows
        finally:
            engine.close()
        if not rows or rows[0].id != shown:
            return False
        first_frame.save(key, version, size, theme, strips)
        return True

    return await asyncio.to_thread(newest_then_save)


def embedded_home(screen: MainScreen) -> Path | None:
    """The embedded store's folder; None on a shared store (its version is remote)."""
    store = screen.engine.store
    if hasattr(store, "search_messages"):
        return None
    home = getattr(store, "home", None)
    return home if isinstance(home, Path) else None


def shows_start_state(screen: MainScreen, newest: str | None = None) -> bool:
    """The screen is what a start shows: the newest session (read from the store unless
    given as `newest`) at its end, nothing typed, popped up or streaming."""
    if newest is None:
        rows = screen.engine.first_rows(1).rows  # the newest: what a start opens
        newest = rows[0].id if rows else None
    if newest is None or screen.current != newest or screen.is_streaming(newest):
        return False
    if screen.show_archived or screen.marked or screen.branches.editing is not None:
        return False
    prompt, transcript, tree = screen.prompt, screen.transcript, screen.session_tree
    if prompt.text or not prompt.has_focus or tree.scroll_y != 0:
        return False
    if not (transcript.is_anchored or transcript.is_vertical_scroll_end):
        return False  # the reader scrolled up
    shown = transcript.messages  # what the screen shows: no second read of the store
    last = next((m for m in reversed(shown) if m.role is Role.ASSISTANT), None)
    return screen.side.message_id == (last.id if last else None)
