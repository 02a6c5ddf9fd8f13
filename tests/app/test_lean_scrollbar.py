"""The transcript's scrollbar draws its lines in one pass: the very lines Textual's
ScrollBar draws, for each kind of theme (ANSI, dark, light, high contrast), thumb
position, hover, and with NO_COLOR."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from tui.app.app import ForktreeApp
from tui.app.widgets.lean_scrollbar import LeanScrollBar
from tui.engine import Engine

from .conftest import main_screen

THEMES = ("ansi-dark", "ansi-light", "forktree-dark", "forktree-light", "forktree-high-contrast")


def _lines(strips: list[Strip]) -> list[list[tuple[str, object]]]:
    return [[(seg.text, seg.style) for seg in strip] for strip in strips]


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "no-color"])
async def test_the_lean_scrollbar_draws_what_textual_draws(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    sid = engine.new_session(title="long").id
    for i in range(120):
        engine.append(sid, "user" if i % 2 == 0 else "assistant", f"line {i}")
    app = ForktreeApp(engine, remember_theme=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        await screen.open_session(sid)
        await pilot.pause()
        transcript = screen.transcript
        bar = transcript.vertical_scrollbar
        assert isinstance(bar, LeanScrollBar) and transcript.show_vertical_scrollbar
        compared = 0
        for theme in THEMES:
            app.theme = theme
            for where in (0.0, 0.37, 1.0):
                transcript.scroll_to(y=transcript.max_scroll_y * where, animate=False)
                await pilot.pause()
                for hover in (False, True):
                    bar.mouse_over = hover
                    width, height = bar.size
                    for crop in (Region(0, 0, width, height), Region(0, 3, width, 7)):
                        ours = bar.render_lines(crop)
                        textual = ScrollBar.render_lines(bar, crop)
                        assert _lines(ours) == _lines(textual), (theme, where, hover, crop)
                        compared += 1
        assert compared == 12 * len(THEMES)
