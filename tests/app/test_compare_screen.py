"""The compare screen: opening it (tree marks, F5), moving through differences, swapping,
scrolling apart; snapshots at 80x24 and 160x48; a fan-out of three streaming forks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from tui.app.app import ForktreeApp
from tui.app.screens.compare import CompareScreen
from tui.app.screens.dialogs import TextPromptScreen
from tui.app.widgets.compare_rows import EDGE, CompareRows
from tui.app.widgets.keys_footer import KeysFooter
from tui.app.widgets.line_styles import foreground
from tui.engine import Engine, MessageStatus
from tui.engine.sessions.model import ToolUsePart, Usage

from .conftest import main_screen, settle, slow_engine, wait_for


def _two_forks(engine: Engine) -> tuple[str, str]:
    sid = engine.new_session(title="Pick a cache").id
    engine.append(sid, "user", "How should we cache the pricing API?")
    engine.append(sid, "assistant", "It depends on how fresh prices must be.")
    a = engine.fork(sid, title="cache: redis", model="model-a")
    b = engine.fork(sid, title="cache: in-process", model="model-b")
    engine.append(a.id, "user", "Prices may be 60 seconds stale.")
    engine.append(
        a.id,
        "assistant",
        "Use Redis with a 60 second TTL and a shared key "
        "per currency, so every worker sees the same price.",
        model="model-a",
        usage=Usage(900, 120, 0.004),
        parts=[ToolUsePart("t1", "read_file", {"path": "pricing.py"})],
    )
    engine.append(b.id, "user", "Prices may be 60 seconds stale.")
    engine.append(
        b.id,
        "assistant",
        "Use an in-process LRU with a 60 second TTL per currency; no network hop.",
        model="model-b",
        usage=Usage(900, 80, 0.001),
        parts=[ToolUsePart("t2", "read_file", {"path": "pricing.py"})],
    )
    engine.append(a.id, "user", "And invalidation?")
    engine.append(a.id, "assistant", "Publish on a channel when prices change.", model="model-a")
    return a.id, b.id


async def _steady(pilot: Pilot[None]) -> None:
    main_screen(pilot.app).prompt.cursor_blink = False  # type: ignore[arg-type]
    await pilot.pause()


async def test_mark_two_sessions_in_the_tree_opens_compare(engine: Engine) -> None:
    a, b = _two_forks(engine)
    app = ForktreeApp(engine)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        tree = screen.session_tree
        tree.focus()
        tree.select_session(a)
        await pilot.press("m")
        assert a in tree.marked
        tree.select_session(b)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        c = app.screen.comparison
        assert {c.a.id, c.b.id} == {a, b} and c.shared == 2
        shared = str(app.screen.query_one("#compare-shared").render())
        assert "2 shared messages" in shared and "2 turn(s)" in shared
        rows = app.screen.query_one(CompareRows)
        assert rows.shown == 2 and not any(p.same for p in rows.pairs)  # both turns differ
        edges = {seg.style.color for y in range(rows.size.height)
                 for seg in rows.render_line(y) if seg.text == EDGE}  # fmt: skip
        assert edges == {foreground(rows, "compare-rows--edge-differs").color}  # marked, both sides
        await pilot.press("escape")
        assert app.screen is screen and not tree.marked


async def test_keys_next_difference_swap_and_scroll_apart(engine: Engine) -> None:
    a, b = _two_forks(engine)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(CompareScreen(engine, a, b))
        await pilot.pause()
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        await pilot.press("n")
        assert compare.current_diff == 0
        await pilot.press("n")
        assert compare.current_diff == 1
        await pilot.press("n")
        assert compare.current_diff == 0  # wraps around
        await pilot.press("s")
        await pilot.pause()
        assert compare.comparison.a.id == b and compare.comparison.b.id == a
        await pilot.press("l")
        await pilot.pause()
        assert not compare.together and len(compare.query(".compare-column")) == 2
        assert "scrolling apart" in str(compare.query_one("#compare-shared").render())


async def test_f5_compares_with_a_session_picked_by_title(engine: Engine) -> None:
    a, b = _two_forks(engine)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await main_screen(app).open_session(a)
        await pilot.press("f5", *"in-process", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert (app.screen.comparison.a.id, app.screen.comparison.b.id) == (a, b)


async def test_fanout_three_forks_stream_at_once_and_ui_stays_responsive(
    isolated_env: Path,
) -> None:
    engine = slow_engine(isolated_env, delay=0.02)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        parent = screen.current
        screen.prompt.load_text("Which database?")
        await screen.run_action("fanout")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        app.screen.query_one("Input").value = "echo/a, echo/b, echo/c"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(lambda: len(screen.controller.turns) == 3)
        running = [sid for sid in screen.controller.turns if screen.is_streaming(sid)]
        assert len(running) == 3  # all three stream at the same time
        assert len(screen.session_tree.busy) == 3
        # the UI answers while they stream: the switcher opens and closes
        await pilot.press("ctrl+k")
        assert app.screen.__class__.__name__ == "SwitcherScreen"
        await pilot.press("escape")
        await settle(pilot)
        forks = [s for s in engine.sessions() if s.parent_session_id == parent]
        assert sorted(s.model for s in forks) == ["a", "b", "c"]
        for fork in forks:
            reply = engine.transcript(fork.id)[-1]
            assert reply.status is MessageStatus.COMPLETE and "Which database?" in reply.text
        await screen.open_session(forks[0].id)
        await screen.run_action("winner")
        assert [s.archived for s in map(engine.session, (f.id for f in forks[1:]))] == [True, True]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_compare_snapshot(snap_compare, engine: Engine, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    a, b = _two_forks(engine)

    async def run_before(pilot: Pilot[None]) -> None:
        await _steady(pilot)
        pilot.app.push_screen(CompareScreen(engine, a, b))
        await pilot.pause()

    assert snap_compare(ForktreeApp(engine), run_before=run_before, terminal_size=size)


def _tails(engine: Engine, turns: int, reply: Callable[[int, str], str]) -> tuple[str, str]:
    """Two forks of one session, `turns` turns each; `reply(i, fork)` answers turn i."""
    sid = engine.new_session(title="root").id
    engine.append(sid, "user", "start")
    a, b = engine.fork(sid, title="a").id, engine.fork(sid, title="b").id
    for i in range(turns):
        for side in (a, b):
            engine.append(side, "user", f"question {i}")
            engine.append(side, "assistant", reply(i, side))
    return a, b


async def _compare(app: ForktreeApp, pilot: Pilot[None], a: str, b: str) -> CompareScreen:
    await pilot.pause()
    app.push_screen(CompareScreen(app.engine, a, b))
    await pilot.pause()
    compare = app.screen
    assert isinstance(compare, CompareScreen)
    return compare


async def test_long_tails_mount_lazily_and_jump_loads_on_demand(engine: Engine) -> None:
    a, b = _tails(engine, 60, lambda i, side: f"answer {i} {side if i == 55 else 'same'}")
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        compare = await _compare(app, pilot, a, b)
        rows = compare.query_one(CompareRows)
        assert rows.shown == 12 and "48 more turns" in str(
            rows.render_line(rows.size.height - 1).text
        )
        assert compare.comparison.differences() == [55]
        await pilot.press("n")
        await pilot.pause()
        assert compare.current_diff == 55 and rows.shown > 55
        body = compare.query_one("#compare-body")
        top = rows.region_of(55).translate(rows.virtual_region.offset).y
        assert body.scroll_y == min(top, body.max_scroll_y)  # the differing turn at the top


async def test_long_turns_mount_a_screenful_first_and_more_as_the_reader_scrolls(
    engine: Engine,
) -> None:
    reply = "\n\n".join(f"paragraph {n} of a long answer" for n in range(15))
    a, b = _tails(engine, 20, lambda i, side: f"{reply} ({side[:4]})")
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        compare = await _compare(app, pilot, a, b)
        body = compare.query_one("#compare-body")
        rows = compare.query_one(CompareRows)
        first = rows.shown
        assert 1 < first < 12  # about a screenful of these tall rows, not a page of 12
        assert body.virtual_size.height > body.size.height  # the screen is full
        body.scroll_end(animate=False)
        await pilot.pause()
        assert rows.shown > first  # more as the reader nears the end


async def test_the_keys_show_from_the_first_frame(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _two_forks(engine)
    app = ForktreeApp(engine)
    lines: list[str] = []
    refresh = Screen._compositor_refresh

    def counted_refresh(screen: Screen[object]) -> None:
        refresh(screen)
        if isinstance(screen, CompareScreen):
            lines.append(screen.query_one(KeysFooter).render().plain)

    monkeypatch.setattr(Screen, "_compositor_refresh", counted_refresh)
    async with app.run_test(size=(140, 45)) as pilot:
        await _steady(pilot)
        await app.push_screen(CompareScreen(engine, a, b))
        await pilot.pause()
        assert lines and all("Next diff" in line and "Close" in line for line in lines)
