"""The saved first frame: kept when the screen is what a start-up draws, drawn by the
next start before the engine loads, identical to the main screen that replaces it,
and never used once anything it shows has changed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tui import launch
from tui.app import first_frame
from tui.app.app import ForktreeApp
from tui.app.screens.main import MainScreen
from tui.engine import Engine, ForktreeError

from .conftest import main_screen

SIZE = (110, 30)
KEY = first_frame.launch_key(["--home", "somewhere"])


def _lines(app: ForktreeApp) -> list[list[tuple[str, str]]]:
    return [list(first_frame._runs(s)) for s in app.screen._compositor.render_strips()]


async def _kept(engine: Engine) -> list[list[tuple[str, str]]]:
    """Start an app as a plain start does, let it settle, quit: the frame it kept."""
    app = ForktreeApp(engine, frame_key=KEY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = _lines(app)
        app.exit()
    return shown


def test_which_start_ups_have_a_first_frame() -> None:
    assert first_frame.app_arguments([]) == (None, None)
    assert first_frame.app_arguments(["--home", "h", "--store=s"]) == ("h", "s")
    for other in (["-c"], ["list"], ["resume", "abc"], ["--home"], ["--version"]):
        assert first_frame.app_arguments(other) is None  # another screen, or no app
    assert first_frame.launch_key([]) != first_frame.launch_key(["--home", "h"])


async def test_the_next_start_draws_the_saved_frame_then_the_same_main_screen(
    demo_engine: Engine,
) -> None:
    shown = await _kept(demo_engine)
    frame = first_frame.load(KEY)
    assert frame is not None and frame.lines == shown and frame.size == SIZE
    screens: list[str] = []
    opened: list[Engine] = []

    def open_engine() -> Engine:
        screens.append(type(app.screen).__name__)  # what is on screen as the engine opens
        opened.append(Engine.open(demo_engine.store.home))
        return opened[-1]

    app = ForktreeApp(open_engine, first_frame=frame, frame_key=KEY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screens == ["FirstFrameScreen"]
        screen = main_screen(app)
        assert screen.engine is opened[0] and app.screen_stack[-1] is screen
        assert _lines(app) == shown  # the main screen draws exactly what the frame showed
        await pilot.press(*"hi")
        assert screen.prompt.text == "hi"


async def test_what_is_typed_on_the_saved_frame_reaches_the_prompt_in_order(
    demo_engine: Engine,
) -> None:
    await _kept(demo_engine)
    frame = first_frame.load(KEY)
    app = ForktreeApp(lambda: Engine.open(demo_engine.store.home), first_frame=frame)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"early")  # at once: the frame is up, the main screen is not
        await pilot.pause()
        await pilot.press(*" bird")
        await pilot.pause()
        assert main_screen(app).prompt.text == "early bird"


async def test_a_frame_is_not_used_once_what_it_shows_changed(demo_engine: Engine) -> None:
    await _kept(demo_engine)
    assert first_frame.load(KEY) is not None
    demo_engine.rename(demo_engine.session_rows()[-1].id, "renamed elsewhere")
    assert first_frame.load(KEY) is None  # the store's index changed
    await _kept(demo_engine)
    settings = Path(first_frame.config_dir()) / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("tree_width = 40\n")
    assert first_frame.load(KEY) is None  # the settings changed
    frame_file = first_frame.frame_path(KEY)
    frame_file.write_text("{not json")
    assert first_frame.load(KEY) is None  # damaged: an ordinary start


async def test_a_frame_of_the_wrong_size_or_theme_is_not_drawn(demo_engine: Engine) -> None:
    await _kept(demo_engine)
    frame = first_frame.load(KEY)
    assert frame is not None
    app = ForktreeApp(demo_engine, first_frame=frame)
    async with app.run_test(size=(SIZE[0] + 1, SIZE[1])) as pilot:
        await pilot.pause()
        assert [type(s) for s in app.screen_stack[1:]] == [MainScreen]
    assert not frame.fits(SIZE, "textual-light")


async def test_only_a_start_up_screen_is_kept(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.app.app.FRAME_AFTER_S", 3600)  # only quitting keeps one here
    app = ForktreeApp(demo_engine, frame_key=KEY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"half a thought")
        app.exit()  # something typed: not what a start-up shows
    assert not first_frame.frame_path(KEY).exists()
    app = ForktreeApp(demo_engine, frame_key=KEY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        older = demo_engine.session_rows()[-1].id
        await screen.open_session(older)
        app.exit()  # another session than the most recent one
    assert not first_frame.frame_path(KEY).exists()


@pytest.mark.parametrize(
    ("problem", "said", "code"),
    [
        (ForktreeError("the store is locked by a newer forktree"),
         "the store is locked by a newer forktree", 2),
        (PermissionError(13, "Permission denied", "/srv/forktree"),
         "Permission denied: /srv/forktree", 1),
    ],
)  # fmt: skip
async def test_a_store_that_cannot_open_ends_the_app_with_its_reason(
    demo_engine: Engine, problem: Exception, said: str, code: int
) -> None:
    await _kept(demo_engine)
    frame = first_frame.load(KEY)

    def broken() -> Engine:
        raise problem

    app = ForktreeApp(broken, first_frame=frame)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.failure == said  # one line, as the command line says it; no traceback
    assert app.return_code == code


def test_the_command_starts_on_the_saved_frame(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`forktree --home H` a second time: the frame first, then the app on H's store."""
    home = str(demo_engine.store.home)
    argv = ["--home", home]
    drawn: list[list[str]] = []

    async def drive(app: ForktreeApp) -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            drawn.append([type(s).__name__ for s in app.screen_stack[1:]])
            app.exit()

    monkeypatch.setattr(ForktreeApp, "run", lambda app, *a, **k: asyncio.run(drive(app)))
    monkeypatch.setattr("sys.argv", ["forktree", *argv])
    assert launch.run() == 0  # the first start: through the CLI; it keeps its frame
    assert first_frame.load(first_frame.launch_key(argv)) is not None
    seen: list[str] = []
    real = ForktreeApp._start

    def start(app: ForktreeApp) -> None:
        seen.append(type(app.screen).__name__)
        real(app)

    monkeypatch.setattr(ForktreeApp, "_start", start)
    assert launch.run() == 0
    assert seen == ["FirstFrameScreen"] and drawn[-1] == ["MainScreen"]
    assert capsys.readouterr().err == ""
