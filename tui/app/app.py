"""The forktree Textual app: wires the engine, themes and the main screen."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from textual import events
from textual.app import App

from tui.app.actions.registry import bindings
from tui.app.commands import ForktreeCommands
from tui.app.gc_policy import IdleCollector
from tui.app.keymap import checked_keymap
from tui.app.screens.main import MainScreen
from tui.app.themes import load_themes
from tui.app.ui_state import load_ui_state, save_ui_state
from tui.engine import Engine
from tui.engine.config.settings import load_settings

DEFAULT_THEME = "forktree-dark"
GC_INTERVAL = 5.0  # seconds between checks for a due full collection
GC_START_S = 1.0  # start-up objects are frozen this long after mounting


class ForktreeApp(App[None]):
    TITLE = "forktree"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ForktreeCommands}
    BINDINGS = bindings("app")
    # Below 110 columns the side pane starts hidden (ctrl+t shows it) and the tree narrows.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self, engine: Engine, remember_theme: bool = True, start: str | None = None
    ) -> None:
        super().__init__()
        self.engine = engine
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
        keymap, problems = checked_keymap(load_settings()[0].keys)
        self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, title="Keys", severity="warning", timeout=15)
        self.push_screen(MainScreen(self.engine, self.start))
        self.set_timer(GC_START_S, self.collector.start)  # after the first paint is out
        self.set_interval(GC_INTERVAL, self.collector.tick)
        for problem in self.theme_problems:
            self.notify(problem, title="Theme not loaded", severity="warning")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown
                      | events.MouseScrollUp):  # fmt: skip
            self.collector.touched()
        await super().on_event(event)

    def _streaming(self) -> bool:
        return any(
            screen.controller.turns and any(not t.done() for t in screen.controller.turns.values())
            for screen in self.screen_stack
            if isinstance(screen, MainScreen)
        )

    def on_unmount(self) -> None:
        self.collector.stop()

    def watch_theme(self, theme: str) -> None:
        if self.remember_theme and self.is_running:  # not the theme set in __init__
            save_ui_state(theme=theme)

    def action_next_theme(self) -> None:
        names = list(dict.fromkeys(self.own_themes)) or sorted(self.available_themes)
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(f"Theme: {self.theme}", timeout=2)
