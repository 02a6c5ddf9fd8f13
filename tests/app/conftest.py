"""Helpers for Pilot and snapshot tests of the app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.app.app import ForktreeApp
from tui.app.screens.main import MainScreen
from tui.engine import Engine
from tui.engine.providers import EchoProvider
from tui.engine.sessions.demo import build_demo


def slow_engine(home: Path, delay: float = 0.01) -> Engine:
    """An engine whose echo provider waits `delay` between words (for queue/abort)."""
    return Engine.open(home, providers=lambda name: EchoProvider(delay=delay))


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    build_demo(engine)
    return engine


@pytest.fixture
def make_app() -> Callable[[Engine], ForktreeApp]:
    return lambda engine: ForktreeApp(engine)


def main_screen(app: ForktreeApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Yield to the app until `condition()` holds (fails the test after `timeout`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.005)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every turn (queued ones too) finished and the screen caught up."""
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    while True:
        await screen.controller.wait_idle()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        queued = any(rt.queue for rt in screen.controller.runtimes.values())
        if not queued and not any(screen.is_streaming(sid) for sid in screen.controller.turns):
            return


def transcript_lines(app: ForktreeApp) -> list[str]:
    """The settled messages as the transcript draws them, line by line."""
    history = main_screen(app).transcript.history
    return [history.render_line(y).text.rstrip() for y in range(history.line_count())]


def visible_text(app: ForktreeApp) -> str:
    """Everything the transcript shows: the settled messages, then a live reply."""
    live = main_screen(app).transcript.live
    return " ".join(transcript_lines(app) + ([live.message.text] if live else []))


def titled(engine: Engine, start: str) -> str:
    """The id of the session whose title starts with `start`."""
    return next(s.id for s in engine.sessions() if s.title.startswith(start))


@asynccontextmanager
async def opened(
    engine: Engine, sid: str, size: tuple[int, int] = (100, 30)
) -> AsyncIterator[tuple[Pilot[None], MainScreen]]:
    """The app with session `sid` open."""
    app = ForktreeApp(engine)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await screen.open_session(sid)
        await pilot.pause()
        yield pilot, screen


def screen_text(app: ForktreeApp) -> str:
    """The text of every Static on the top screen (dialogs, tables), and the notices."""
    import io

    from rich.console import Console
    from textual.widgets import Static

    console = Console(width=200, record=True, file=io.StringIO())
    for widget in app.screen.query(Static):
        console.print(widget.content)
    notices = [str(n.message) for n in app._notifications]
    return console.export_text() + "\n".join(notices)
