"""Checkpoints in the tree (b names one, selecting it restores it) and the family graph."""

from __future__ import annotations

from textual.pilot import Pilot

from tui.app.app import ForktreeApp
from tui.app.screens.dialogs import TextPromptScreen
from tui.app.screens.family_graph import FamilyGraphScreen
from tui.engine import Engine
from tui.engine.explore.fanout import choose_winner

from .conftest import main_screen


def _family(engine: Engine) -> tuple[str, list[str]]:
    sid = engine.new_session(title="API design").id
    for i in range(6):
        engine.append(sid, "user" if i % 2 == 0 else "assistant", f"step {i}")
    third = engine.transcript(sid)[2].id
    forks = [engine.fork(sid, at=third, title=f"try {n}").id for n in ("REST", "gRPC")]
    engine.append(forks[0], "user", "REST it is")
    engine.append(forks[1], "user", "gRPC it is")
    choose_winner(engine, forks[1])
    return sid, forks


async def test_name_a_checkpoint_then_restore_it_from_the_tree(engine: Engine) -> None:
    sid, _ = _family(engine)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await screen.open_session(sid)
        await pilot.press("up", "up")
        await pilot.press("b")
        assert isinstance(app.screen, TextPromptScreen)
        app.screen.query_one("Input").value = "before the choice"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        checkpoint = engine.session(sid).checkpoints[0]
        assert checkpoint[1] == "before the choice"
        node = next(
            n
            for n in screen.session_tree._session_nodes[sid].children
            if n.data and n.data.endswith(checkpoint[0])
        )
        assert "before the choice" in str(node.label)
        screen.session_tree.focus()
        screen.session_tree.move_cursor(node)
        await pilot.press("enter")
        await pilot.pause()
        restored = engine.session(screen.current)
        assert restored.title == "before the choice (restored)"
        assert restored.head_id == checkpoint[0]


async def test_family_graph_opens_a_branch(engine: Engine) -> None:
    sid, forks = _family(engine)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await screen.open_session(sid)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, FamilyGraphScreen)
        labels = [str(o.prompt) for o in app.screen.options("")]
        assert any("★ winner" in label and "gRPC" in label for label in labels)
        assert any("◀ open" in label and "API design" in label for label in labels)
        await pilot.press(*"REST", "enter")
        await pilot.pause()
        assert screen.current == forks[0]


def test_family_graph_snapshot(snap_compare, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    sid, _ = _family(engine)

    async def run_before(pilot: Pilot[None]) -> None:
        screen = main_screen(pilot.app)  # type: ignore[arg-type]
        screen.prompt.cursor_blink = False
        await screen.open_session(sid)
        await pilot.press("ctrl+r")
        await pilot.pause()

    assert snap_compare(ForktreeApp(engine), run_before=run_before, terminal_size=(110, 24))
