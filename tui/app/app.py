"""The forktree Textual app (placeholder until the three-pane UI lands)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from ..engine import Engine


class ForktreeApp(App[None]):
    TITLE = "forktree"

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine

    def compose(self) -> ComposeResult:
        yield Header()
        count = len(self.engine.sessions())
        yield Static(f"{count} session(s) in the store. Try `forktree tree`.")
        yield Footer()
