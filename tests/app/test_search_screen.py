"""The search screen: one key opens it, results show highlighted snippets, Enter jumps
straight to the message, even one outside the mounted window."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.fakes.build_gate import hold_build, one_family_per_batch
from tui.app.app import ForktreeApp
from tui.app.screens.search import SearchScreen
from tui.engine import Engine

from .conftest import main_screen


def _store(engine: Engine) -> tuple[str, str]:
    old = engine.new_session(title="Database migration plan").id
    for i in range(40):
        engine.append(
            old,
            "user" if i % 2 == 0 else "assistant",
            "we chose PostgreSQL for the ledger" if i == 3 else f"filler {i}",
        )
    engine.new_session(title="Unrelated")
    target = engine.transcript(old)[3].id
    return old, target


async def test_search_jumps_to_the_message(engine: Engine) -> None:
    old, target = _store(engine)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.current != old
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"postgres ledger")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [h.message_id for h in app.screen.hits] == [target]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == old
        focused = screen.transcript.focused_message()
        assert focused is not None and focused.id == target  # mounted on demand


def test_search_snapshot(snap_compare, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    _store(engine)

    async def run_before(pilot: Pilot[None]) -> None:
        main_screen(pilot.app).prompt.cursor_blink = False  # type: ignore[arg-type]
        await pilot.press("ctrl+g", *"postgres")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(ForktreeApp(engine), run_before=run_before, terminal_size=(100, 30))


async def test_search_answers_while_a_first_index_builds(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store never indexed: the newest conversations are searchable at once, the
    status line says how far the build is, and the results fill in as it goes."""
    for i in range(4):
        sid = engine.new_session(title=f"notes {i}").id
        engine.append(sid, "user", f"the ledger, part {i}")
    for suffix in ("", "-wal", "-shm"):
        (engine.store.home / f"search.sqlite3{suffix}").unlink(missing_ok=True)
    one_family_per_batch(monkeypatch, background=2)
    gate = hold_build(monkeypatch, 1)  # half-done until the test lets it go on
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g")
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.building is not None
        progress = screen.building
        while progress.done < 1:
            await asyncio.to_thread(progress.wait, 5)
        await pilot.press(*"ledger")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.hits) == 1  # the newest conversation, already indexed
        status = str(screen.query_one("#search-status", Static).render())
        assert "indexing, 1 of 4 conversations" in status
        gate.set()
        while not progress.finished:
            await asyncio.to_thread(progress.wait, 5)
        screen._follow_build()  # what the screen's timer does
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.hits) == 4
        assert "indexing" not in str(screen.query_one("#search-status", Static).render())


async def test_search_on_a_damaged_index_says_so_and_still_finds(engine: Engine) -> None:
    _, target = _store(engine)
    engine.search("ledger")
    engine._local_search.close()  # as if the file went bad between two runs
    index = engine.store.home / "search.sqlite3"
    index.write_bytes(b"\x5a" * 8192)  # not a database any more
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g")  # no traceback: the screen opens
        await pilot.press(*"ledger")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert [h.message_id for h in screen.hits] == [target]
        notes = [n.message for n in app._notifications]
        assert any("search.sqlite3 was damaged" in m for m in notes)
