"""The forktree Textual app: wires the engine, themes and the main screen.

Given a saved first frame (first_frame.py) and a way to open the engine, it draws the
frame first and loads the engine and the main screen after it is on the screen; this
module itself stays light for that (the main screen loads in `_start`)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App

from tui.app.actions.registry import bindings
from tui.app.commands import ForktreeCommands
from tui.app.gc_policy import IdleCollector
from tui.app.themes import load_themes
from tui.app.ui_state import load_ui_state, save_ui_state

if TYPE_CHECKING:
    from tui.app.first_frame import CachedFrame
    from tui.engine import Engine

DEFAULT_THEME = "forktree-dark"
GC_INTERVAL = 5.0  # seconds between checks for a due full collection
GC_START_S = 1.0  # start-up objects are frozen this long after mounting
FRAME_AFTER_S = 1.5  # the start-up frame is saved once the app is this far and quiet


class ForktreeApp(App[None]):
    TITLE = "forktree"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ForktreeCommands}
    BINDINGS = bindings("app")
    # Below 110 columns the side pane starts hidden (ctrl+t shows it) and the tree narrows.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self,
        engine: Engine | Callable[[], Engine],
        remember_theme: bool = True,
        start: str | None = None,
        first_frame: CachedFrame | None = None,
        frame_key: str | None = None,
    ) -> None:
        """`engine`, or what opens it once the first frame is out (an error it raises
        ends the app with its message in `failure`). With `frame_key` (how it was
        started: first_frame.launch_key) the app saves its start-up frame for the next
        start made the same way."""
        super().__init__()
        self._open_engine = engine if callable(engine) else None
        self.engine: Engine = engine if not callable(engine) else None  # type: ignore[assignment]
        self.first_frame = first_frame
        self.frame_key = frame_key
        self.failure: str | None = None
        self._typed_ahead: list[events.Key] | None = None  # keys before the main screen
        self.start = start
        self.remember_theme = remember_theme
        self.collector = IdleCollector(self._streaming)
        # Themes before the first screen mounts: set later, they would style it twice.
        themes, self.theme_problems = load_themes()
        self.own_themes = [theme.name for theme in themes]  # shipped, then the user's
        for theme in themes:
            self.register_theme(theme)
        wanted = (
            load_ui_state().get("theme", DEFAULT_THEME) if self.remember_theme else DEFAULT_THEME
        )
        self.theme = (
            wanted
            if wanted in self.available_themes
            else DEFAULT_THEME
            if DEFAULT_THEME in self.available_themes
            else "textual-dark"
        )

    def on_mount(self) -> None:
        self.collector.take_over()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):  # a closed terminal, a kill: the
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.exit)  # streaming reply is kept
        frame = self.first_frame
        if frame is not None and frame.fits((self.size.width, self.size.height), self.theme):
            from tui.app.screens.first_frame import FirstFrameScreen

            self.push_screen(FirstFrameScreen(frame))
            self._typed_ahead = []  # what the user types meanwhile goes to the main screen
            self.call_after_refresh(self._start)  # once the saved frame is on the screen
        else:
            self._start()

    def _start(self) -> None:
        from tui.app.keymap import checked_keymap
        from tui.app.screens.main import MainScreen
        from tui.engine import ForktreeError
        from tui.engine.config.settings import load_settings

        if self._open_engine is not None:
            try:
                self.engine = self._open_engine()
            except ForktreeError as exc:
                self.failure = str(exc)
                self.exit(return_code=2)
                return
            except OSError as exc:  # as the CLI says it: one line, never a traceback
                where = f": {exc.filename}" if exc.filename else ""
                self.failure = f"{exc.strerror or exc}{where}"
                self.exit(return_code=1)
                return
        keymap, problems = checked_keymap(load_settings()[0].keys)
        self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, title="Keys", severity="warning", timeout=15)
        main = MainScreen(self.engine, self.start)
        if len(self.screen_stack) > 1:  # the saved frame: the main screen takes its place
            self.switch_screen(main)
        else:
            self.push_screen(main)
        self.set_timer(GC_START_S, self.collector.start)  # after the first paint is out
        if self.frame_key is not None:
            self.set_timer(FRAME_AFTER_S, self._keep_first_frame_aside)
        self.set_interval(GC_INTERVAL, self.collector.tick)
        for problem in self.theme_problems:
            self.notify(problem, title="Theme not loaded", severity="warning")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown
                      | events.MouseScrollUp):  # fmt: skip
            self.collector.touched()
        if isinstance(event, events.Key) and self._typed_ahead is not None:
            self._typed_ahead.append(event)  # typed on the saved frame: kept, in order
            return
        await super().on_event(event)

    def main_screen_ready(self) -> None:
        """The main screen is up with its prompt focused: the keys typed on the saved
        frame go to it now, before any typed since."""
        if self._typed_ahead is not None:
            self.call_next(self._type_ahead)

    async def _type_ahead(self) -> None:
        keys, self._typed_ahead = self._typed_ahead or [], None
        for key in keys:
            await self.on_event(key)

    def _streaming(self) -> bool:
        from tui.app.screens.main import MainScreen

        return any(
            screen.controller.turns and any(not t.done() for t in screen.controller.turns.values())
            for screen in self.screen_stack
            if isinstance(screen, MainScreen)
        )

    def on_unmount(self) -> None:
        self.collector.stop()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Quit; the screen is kept as the next start-up's first frame if it is one."""
        with contextlib.suppress(Exception):  # a cache: never in the way of quitting
            self.keep_first_frame()
        super().exit(*args, **kwargs)

    def keep_first_frame(self) -> None:
        from tui.app.frame_keeper import keep_first_frame

        keep_first_frame(self)

    async def _keep_first_frame_aside(self) -> None:
        from tui.app.frame_keeper import keep_first_frame_aside

        with contextlib.suppress(Exception):  # a cache: never in the user's way
            await keep_first_frame_aside(self)

    def watch_theme(self, theme: str) -> None:
        if self.remember_theme and self.is_running:  # not the theme set in __init__
            save_ui_state(theme=theme)

    def action_next_theme(self) -> None:
        names = list(dict.fromkeys(self.own_themes)) or sorted(self.available_themes)
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(f"Theme: {self.theme}", timeout=2)
