"""Full collections wait until no reply streams; CPython gets its settings back after."""

from __future__ import annotations

import gc

from tui.app.gc_policy import DUE, IdleCollector
from tui.engine.util.gcpause import NEVER


def test_full_collections_only_when_idle_and_settings_restored() -> None:
    before = gc.get_threshold()
    streaming = [True]
    collector = IdleCollector(lambda: streaming[0], quiet_s=0.0)
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


def test_no_full_collection_right_after_input() -> None:
    collector = IdleCollector(lambda: False, quiet_s=60.0)
    try:
        collector.start()
        while gc.get_count()[2] < DUE:
            gc.collect(1)
        collector.touched()
        assert collector.tick() is False  # the user is typing or scrolling
        collector.last_input -= 61
        assert collector.tick() is True
    finally:
        collector.stop()
        gc.unfreeze()


async def test_keys_and_scrolls_count_as_input(engine) -> None:  # type: ignore[no-untyped-def]
    from tui.app.app import ForktreeApp

    app = ForktreeApp(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.collector.last_input = 0.0
        await pilot.press("x")
        assert app.collector.last_input > 0.0
