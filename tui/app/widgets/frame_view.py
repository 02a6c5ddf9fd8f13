"""A saved frame drawn line by line, exactly as it was (see first_frame.py)."""

from __future__ import annotations

from textual.strip import Strip
from textual.widget import Widget

from tui.app.first_frame import CachedFrame


class FrameView(Widget):
    DEFAULT_CSS = "FrameView { width: 100%; height: 100%; }"

    def __init__(self, frame: CachedFrame) -> None:
        super().__init__()
        self.frame = frame

    def render_line(self, y: int) -> Strip:
        return Strip(self.frame.segments(y))
