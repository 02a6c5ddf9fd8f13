"""A vertical scrollbar that draws its lines in one pass.

A page up moves the transcript's thumb, so its scrollbar draws all its lines again, and
Textual draws each through the whole styles pipeline (a rich render of the bar, then
per line: padding, background, tint, opacity, ANSI colours). A scrollbar uses none of
it but the line filters: 3-4 ms of a 17 ms page up went there. This draws the same
segments (Textual's own `render_bar`) with the same base style and filters; a test
holds its lines equal to Textual's for each kind of theme, with and without NO_COLOR.
(In turns on a 2,000-message session, page-up p50: 18.7-20.4 -> 15.7-16.4 ms.)"""

from __future__ import annotations

from typing import cast

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

BACK, BAR = Color.parse("#555555"), Color.parse("bright_magenta")  # Textual's defaults


class LeanScrollBar(ScrollBar):
    """Textual's ScrollBar, drawn without the styles pipeline when vertical and plain."""

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        width, height = self.size
        if (
            not self.vertical
            or type(bar) is not ScrollBarRender
            or not isinstance(bar.style, Style)
        ):
            return super().render_lines(crop)  # a custom renderer: Textual's way
        rows = ScrollBarRender.render_bar(
            size=height,
            window_size=bar.window_size,
            virtual_size=bar.virtual_size,
            position=bar.position,
            vertical=True,
            thickness=width,
            back_color=bar.style.bgcolor or BACK,
            bar_color=bar.style.color or BAR,
        ).segments
        base = self.visual_style.rich_style  # what Textual's render puts under each row
        filters = self.get_line_filters()
        _, background = self.background_colors
        strips: list[Strip] = []
        for y in range(crop.y, min(crop.bottom, len(rows))):
            text, style, _ = rows[y]
            strip = Strip([Segment(text, base + style if style else base)], width)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(
                strip if crop.x == 0 and crop.right >= width else strip.crop(crop.x, crop.right)
            )
        return strips


class LeanScrolling:
    """Mixed in before a scrolling container: its vertical scrollbar is a LeanScrollBar
    (Textual's property, with the class changed). Not a Widget itself: a Widget base
    here would change the container's CSS and hide its scrollbar."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        widget = cast(Widget, self)
        if widget._vertical_scrollbar is None:
            bar = LeanScrollBar(
                vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical
            )
            bar.display = False
            widget._vertical_scrollbar = bar
            widget.app._start_widget(widget, bar)
        return widget._vertical_scrollbar
