"""The `forktree` command: collection paused while it starts, then the CLI.

Start-up imports and builds many objects and next to no garbage, and the collections
CPython runs meanwhile walk all of them again and again: about a third of the time
it takes to import Textual. The CLI turns collection back on once it knows the
command; the app does so after its first paint (see app/gc_policy.py)."""

from __future__ import annotations

import gc


def run() -> int:
    gc.disable()
    from tui.cli import main

    return main()
