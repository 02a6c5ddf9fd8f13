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


async def _kept_while_running(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start an app as a plain start does and wait for the frame it keeps as it runs."""
    monkeypatch.setattr("tui.app.app.FRAME_AFTER_S", 0.01)
    app = ForktreeApp(engine, frame_key=KEY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(500):  # the files are read and written in a thread
            if first_frame.frame_path(KEY).exists():
                break
            await asyncio.sleep(0.01)
        app.exit()


async def test_a_running_app_keeps_the_frame_without_reading_files_on_its_thread(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from tui.engine.store.tinydb_store import TinyDBStore

    main_thread, readers = threading.get_ident(), []
    version_of, save = first_frame.version_of, first_frame.save

    def watched(home: Path) -> dict[str, str]:
        readers.append(("version", threading.get_ident()))
        return version_of(home)

    def saved(*args: object) -> None:
        readers.append(("save", threading.get_ident()))
        save(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(first_frame, "version_of", watched)
    monkeypatch.setattr(first_frame, "save", saved)
    recent = TinyDBStore.recent_families

    def listed(store: TinyDBStore):  # type: ignore[no-untyped-def]
        if store is not demo_engine.store:  # the keeper's own handle on the store
            readers.append(("newest", threading.get_ident()))
        return recent(store)

    monkeypatch.setattr(TinyDBStore, "recent_families", listed)
    monkeypatch.setattr(
        "tui.app.app.ForktreeApp.keep_first_frame", lambda app: None
    )  # no exit save
    await _kept_while_running(demo_engine, monkeypatch)
    assert {what for what, _ in readers} == {"version", "newest", "save"}
    assert all(thread != main_thread for _, thread in readers)
    assert first_frame.load(KEY) is not None  # kept, and the next start can draw it


async def test_a_change_while_the_frame_is_kept_leaves_a_frame_no_start_uses(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    version_of = first_frame.version_of

    def then_a_change(home: Path) -> dict[str, str]:
        version = version_of(home)
        other = Engine.open(home)  # another process renames the shown session meanwhile
        other.rename(other.session_rows()[0].id, "renamed meanwhile")
        return version

    monkeypatch.setattr(first_frame, "version_of", then_a_change)
    monkeypatch.setattr("tui.app.app.ForktreeApp.keep_first_frame", lambda app: None)
    await _kept_while_running(demo_engine, monkeypatch)
    assert first_frame.frame_path(KEY).exists() and first_frame.load(KEY) is None
