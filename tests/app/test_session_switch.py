"""Switching sessions: the first frame after the switch already shows the new session."""

from __future__ import annotations

import pytest
from textual.screen import Screen

from tui.engine import Engine

from .conftest import opened


async def test_the_first_frame_of_a_switch_shows_the_new_session_at_its_end(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = engine.new_session(title="long").id
    for i in range(120):
        engine.append(long, "user" if i % 2 == 0 else "assistant", f"long message {i}\n\nmore\n")
    short = engine.new_session(title="short").id
    engine.append(short, "user", "the short one")
    frames: list[str] = []
    refresh = Screen._compositor_refresh

    def counted(screen: Screen[object]) -> None:
        refresh(screen)
        if screen.app.screen is screen:
            frames.append("\n".join(strip.text for strip in screen._compositor.render_strips()))

    async with opened(engine, short, (120, 40)) as (pilot, screen):
        monkeypatch.setattr(Screen, "_compositor_refresh", counted)
        await screen.open_session(long)
        await pilot.pause()
        assert frames
        first = frames[0]  # no frame of the old session, of an empty pane, or of the top
        assert "long message 119" in first and "the short one" not in first
        assert "long message 100" not in first
