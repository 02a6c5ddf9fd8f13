"""Full collections wait until no reply streams; CPython gets its settings back after."""

from __future__ import annotations

import gc

from tui.app.gc_policy import DUE, NEVER, IdleCollector


def test_full_collections_only_when_idle_and_settings_restored() -> None:
    before = gc.get_threshold()
    streaming = [True]
    collector = IdleCollector(lambda: streaming[0])
    try:
        collector.start()
        assert gc.get_threshold()[2] == NEVER  # no automatic full collection
        while gc.get_count()[2] < DUE:
            gc.collect(1)  # what a streaming reply's allocations do over time
        assert collector.tick() is False  # due, but a reply streams
        streaming[0] = False
        assert collector.tick() is True
        assert gc.get_count()[2] == 0 and collector.tick() is False  # not due again yet
    finally:
        collector.stop()
        gc.unfreeze()
    assert gc.get_threshold() == before
