"""Garbage collection that stays out of key-press latency.

A full (oldest generation) collection walks every tracked object: with a long
transcript on screen it takes 40-200 ms, and CPython starts one whenever enough
objects survive — which a streaming reply makes happen every second or so. Here the
start-up objects are frozen, automatic full collections are turned off, and the app
runs one itself when no reply streams and the user has not touched a key or the
mouse for a few seconds.
The young generations are still collected as usual (they take well under a ms).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from tui.engine.util.gcpause import hold_full_collections

DUE = 10  # full collections become due after this many generation-1 ones (CPython's own)
QUIET_S = 3.0  # seconds without input before a due collection runs


class IdleCollector:
    def __init__(self, busy: Callable[[], bool], quiet_s: float = QUIET_S) -> None:
        self.busy = busy
        self.quiet_s = quiet_s
        self.last_input = time.monotonic()
        self._saved: tuple[int, int, int] | None = None
        self.frozen = False  # start() has run: start-up objects are out of the GC's way

    def touched(self) -> None:
        """The user pressed a key, clicked or scrolled: not a moment to pause."""
        self.last_input = time.monotonic()

    def take_over(self) -> None:
        """From now on full collections wait for `tick` (start-up loads many objects:
        letting CPython walk them all, again and again, would delay the first paint)."""
        if self._saved is None:
            self._saved = hold_full_collections()

    def start(self) -> None:
        """Once the first paint is out: collect once, freeze what start-up made and let
        the young generations be collected again (the launcher may have paused them)."""
        self.take_over()
        gc.collect()
        gc.freeze()
        gc.enable()
        self.frozen = True

    def tick(self) -> bool:
        """Run a due full collection when no reply streams and the user has been quiet
        for `quiet_s`; True when it ran."""
        if self._saved is None or gc.get_count()[2] < DUE or self.busy():
            return False
        if time.monotonic() - self.last_input < self.quiet_s:
            return False
        gc.collect()
        return True

    def stop(self) -> None:
        """Give collection back to CPython (the app is closing)."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
        gc.enable()
