"""Snapshot tests of each screen (pytest-textual-snapshot). Look at the SVG diff report
before running with --snapshot-update."""

from __future__ import annotations

from textual.pilot import Pilot

from tui.app.app import ForktreeApp
from tui.engine import Engine

from .conftest import main_screen


async def _steady(pilot: Pilot[None]) -> None:
    main_screen(pilot.app).prompt.cursor_blink = False  # type: ignore[arg-type]
    await pilot.pause()


async def _open(pilot: Pilot[None], title_start: str) -> None:
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    sessions = screen.engine.sessions()
    exact = [s.id for s in sessions if s.title == title_start]
    sid = exact[0] if exact else next(s.id for s in sessions if s.title.startswith(title_start))
    await screen.open_session(sid)
    await _steady(pilot)


def test_main_screen_on_demo_data(snap_compare, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open(pilot, "Explain Rust lifetimes")

    assert snap_compare(ForktreeApp(demo_engine), run_before=run_before, terminal_size=(130, 36))


def test_switcher(snap_compare, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _steady(pilot)
        await pilot.press("ctrl+k", *"bill")
        await pilot.pause()

    assert snap_compare(ForktreeApp(demo_engine), run_before=run_before, terminal_size=(130, 36))


def test_tool_pane_on_a_tool_call(snap_compare, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open(pilot, "Refactor")
        main_screen(pilot.app).transcript.focus_message(1)  # type: ignore[arg-type]
        await pilot.pause()

    assert snap_compare(ForktreeApp(demo_engine), run_before=run_before, terminal_size=(130, 40))


def test_light_theme(snap_compare, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.theme = "forktree-light"
        await _open(pilot, "Plan three days")

    assert snap_compare(ForktreeApp(demo_engine), run_before=run_before, terminal_size=(130, 36))


def test_small_terminal_80x24(snap_compare, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open(pilot, "Refactor")

    assert snap_compare(ForktreeApp(demo_engine), run_before=run_before, terminal_size=(80, 24))


def test_metrics_view(snap_compare, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open(pilot, "Refactor")
        await pilot.press("f6")
        await pilot.pause()

    assert snap_compare(ForktreeApp(demo_engine), run_before=run_before, terminal_size=(130, 36))


def test_new_session_dialog(snap_compare, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _steady(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        pilot.app.screen.query_one("#title").cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(ForktreeApp(demo_engine), run_before=run_before, terminal_size=(130, 40))


def test_delete_confirmation_wraps_a_long_title(snap_compare, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open(pilot, "Refactor")
        await pilot.press("f8")
        await pilot.pause()

    assert snap_compare(ForktreeApp(demo_engine), run_before=run_before, terminal_size=(80, 24))


def test_tree_with_every_agents_sessions(snap_compare, engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Claude Code, Codex and OpenCode sessions side by side, each with its badge."""
    from tests.importers.agent_samples import write_desk
    from tui.cli import main

    write_desk(tmp_path / "claude", tmp_path / "codex", tmp_path / "data" / "opencode")
    assert main(["import", "all", "--json"]) == 0  # the conftest points each agent here

    async def run_before(pilot: Pilot[None]) -> None:
        await _open(pilot, "Dark mode for the settings page")

    assert snap_compare(ForktreeApp(engine), run_before=run_before, terminal_size=(130, 30))
