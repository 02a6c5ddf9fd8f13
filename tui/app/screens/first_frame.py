"""The screen a start-up shows while the main screen loads: the last start's frame."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen

from tui.app.first_frame import CachedFrame
from tui.app.widgets.frame_view import FrameView


class FirstFrameScreen(Screen[None]):
    def __init__(self, frame: CachedFrame) -> None:
        super().__init__()
        self.frame = frame

    def compose(self) -> ComposeResult:
        yield FrameView(self.frame)
