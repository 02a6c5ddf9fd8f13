"""Deciding when the screen is a start-up's first frame, and saving it then.

A start-up opens the most recent session at its end, with the prompt focused and
empty, the tree at its top and the side pane on the session's last reply; the frame
is saved only when the screen is just that (and nothing streams or pops up), so the
next start-up draws what it would have drawn anyway."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.app import first_frame
from tui.engine import Role

if TYPE_CHECKING:
    from tui.app.app import ForktreeApp
    from tui.app.screens.main import MainScreen


def keep_first_frame(app: ForktreeApp) -> bool:
    """Save the screen for the next start-up made the same way; True if it was."""
    from tui.app.screens.main import MainScreen

    screen = app.screen
    if app.frame_key is None or not isinstance(screen, MainScreen) or len(app._notifications):
        return False
    home = embedded_home(screen)
    if home is None or not shows_start_state(screen):
        return False
    strips = screen._compositor.render_strips()  # what the terminal shows now
    size = (app.size.width, app.size.height)
    first_frame.save(app.frame_key, first_frame.version_of(home), size, app.theme, strips)
    return True


def embedded_home(screen: MainScreen) -> Path | None:
    """The embedded store's folder; None on a shared store (its version is remote)."""
    store = screen.engine.store
    if hasattr(store, "search_messages"):
        return None
    home = getattr(store, "home", None)
    return home if isinstance(home, Path) else None


def shows_start_state(screen: MainScreen) -> bool:
    rows = screen.engine.first_rows(1).rows  # the newest: what a start opens
    if not rows or screen.current != rows[0].id or screen.is_streaming(screen.current):
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
