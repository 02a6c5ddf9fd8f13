"""The `forktree` command: collection paused while it starts, then the app or the CLI.

Start-up imports and builds many objects and next to no garbage, and the collections
CPython runs meanwhile walk all of them again and again: about a third of the time
it takes to import Textual. The CLI turns collection back on once it knows the
command; the app does so after its first paint (see app/gc_policy.py).

A plain start of the app with a saved first frame (app/first_frame.py) goes straight
to the app: the frame is drawn before the CLI, the engine and the main screen load."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app import first_frame
    from tui.engine import Engine


def run() -> int:
    gc.disable()
    argv = sys.argv[1:]
    from tui.app import first_frame

    wanted = first_frame.app_arguments(argv)
    if wanted is not None:
        key = first_frame.launch_key(argv)
        frame = first_frame.load(key)
        if frame is not None:
            return _app_first(wanted, frame, key)
    from tui.cli import main

    return main()


def _app_first(wanted: tuple[str | None, str | None], frame: first_frame.CachedFrame,
               key: str) -> int:  # fmt: skip
    """The app on its saved frame; the engine opens once the frame is on the screen."""
    from tui.app.app import ForktreeApp

    home, store = wanted

    def open_engine() -> Engine:
        from tui.engine import Engine

        return Engine.open(home, store=store)

    app = ForktreeApp(open_engine, first_frame=frame, frame_key=key)
    try:
        app.run()
    finally:
        if app.engine is not None:
            for problem in app.engine.problems:
                print(f"forktree: warning: {problem}", file=sys.stderr)
            app.engine.close()
    if app.failure:
        print(f"forktree: error: {app.failure}", file=sys.stderr)
        return app.return_code or 2
    return 0
