"""The compare screen's turn pairs, side by side, drawn as one Line-API widget.

Each pair is rendered once per width and theme (a row of two cells: an edge, the text,
a rule below), and only the lines on screen are drawn: opening a compare mounts one
widget, not a row of widgets per turn."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from tui.app.widgets.line_styles import foreground
from tui.engine.explore.compare import TurnPair

EDGE = "▌"  # a cell's left edge, as Textual's "outer" border draws it
RULE = "▁"  # the line under a row, as Textual's "hkey" border draws it
PAD = 3  # edge, and one column of padding each side of a cell's text

Render = Callable[[TurnPair, str], Text]  # a pair's side ("a" or "b") as text


@dataclass(frozen=True, slots=True)
class _Pen:
    """The styles every line of one render pass is drawn with."""

    base: Style
    edge: Style
    edge_differs: Style
    rule: Style
    more: Style


class CompareRows(Widget):
    """Pairs `0..shown` of `pairs`; a last line says how many are not shown yet."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "compare-rows--edge",
        "compare-rows--edge-differs",
        "compare-rows--rule",
        "compare-rows--more",
    }
    DEFAULT_CSS = """
    CompareRows { height: auto; }
    CompareRows > .compare-rows--edge { color: $panel; }
    CompareRows > .compare-rows--edge-differs { color: $warning; }
    CompareRows > .compare-rows--rule { color: $panel; }
    CompareRows > .compare-rows--more { color: $text-muted; text-style: italic; }
    """

    def __init__(
        self, pairs: Sequence[TurnPair], render: Render, shown: int, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.pairs = pairs
        self.render_side = render
        self.shown = min(shown, len(pairs))
        self._width = -1
        self._theme = ""
        self._rows: list[tuple[list[Strip], list[Strip]]] = []
        self._starts: list[int] = []
        self._total = 0
        self._stale = True  # pairs to render, or line positions to count again
        self._pen: _Pen | None = None

    def show_more(self, count: int) -> None:
        """Draw `count` more pairs below (they render as they come into view)."""
        upto = min(len(self.pairs), self.shown + count)
        if upto > self.shown:
            self.shown = upto
            self._stale = True
            self._count()
            self.refresh(layout=True)

    # -- layout ----------------------------------------------------------------------

    def _layout(self, width: int) -> None:
        if width <= 0:
            return
        if width != self._width or self.app.theme != self._theme:
            self._width, self._theme = width, self.app.theme
            self._rows, self._stale = [], True
        self._count()

    def _count(self) -> None:
        """Render the pairs not rendered yet and count the line positions (once per
        change: every drawn line asks for them)."""
        if self._width <= 0 or not self._stale:
            return
        self._stale = False
        while len(self._rows) < self.shown:
            self._rows.append(self._render_pair(self.pairs[len(self._rows)]))
        self._starts, line = [], 0
        for row in self._rows[: self.shown]:
            self._starts.append(line)
            line += max(len(row[0]), len(row[1])) + 1  # and the rule below it
        self._total = line + (1 if self.shown < len(self.pairs) else 0)

    def _cells(self) -> tuple[int, int]:
        left = self._width // 2
        return left, self._width - left

    def _render_pair(self, pair: TurnPair) -> tuple[list[Strip], list[Strip]]:
        console = self.app.console
        sides = []
        for side, cell in zip("ab", self._cells(), strict=True):
            options = console.options.update(width=max(1, cell - PAD), highlight=False)
            lines = console.render_lines(self.render_side(pair, side), options, pad=False)
            sides.append([Strip(line) for line in lines])
        return sides[0], sides[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._layout(width)
        return self._total

    def region_of(self, index: int) -> Region:
        """The lines of pair `index` (it must be shown)."""
        self._layout(self.size.width or self._width)
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else self._total
        return Region(0, start, self._width, end - start)

    # -- drawing ---------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pen = None  # looked up again once per pass: styles may have changed
        return super().render_lines(crop)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._pen = None

    def _pen_now(self) -> _Pen:
        if self._pen is None:
            base = self.rich_style
            self._pen = _Pen(
                base,
                base + foreground(self, "compare-rows--edge"),
                base + foreground(self, "compare-rows--edge-differs"),
                base + foreground(self, "compare-rows--rule"),
                base + foreground(self, "compare-rows--more"),
            )
        return self._pen

    def render_line(self, y: int) -> Strip:
        """Line `y`, built as one Strip (joining, cropping and styling pieces would
        make a new Strip at each step)."""
        width = self.size.width
        self._layout(width)
        pen = self._pen_now()
        base = pen.base
        index = bisect_right(self._starts, y) - 1
        if index < 0 or y >= self._total - (1 if self.shown < len(self.pairs) else 0):
            left = len(self.pairs) - self.shown
            note = f"… {left} more turns (n jumps, or scroll to the end)" if left else ""
            label = Strip([Segment(note, pen.more)]).crop(0, width)
            return Strip([*label, Segment(" " * (width - label.cell_length), base)], width)
        a, b = self._rows[index]
        row = y - self._starts[index]
        if row >= max(len(a), len(b)):
            return Strip([Segment(RULE * width, pen.rule)], width)
        edge = pen.edge if self.pairs[index].same else pen.edge_differs
        segments: list[Segment] = []
        for lines, cell in zip((a, b), self._cells(), strict=True):
            if row >= len(lines):  # a cell's edge is as tall as its own text
                segments.append(Segment(" " * cell, base))
                continue
            room = max(0, cell - PAD)
            text = lines[row] if lines[row].cell_length <= room else lines[row].crop(0, room)
            segments += [Segment(EDGE, edge), Segment(" ", base)]
            segments += [Segment(t, base + style if style else base) for t, style, _ in text]
            segments.append(Segment(" " * (room - text.cell_length + 1), base))
        if width < 2 * PAD:  # cells too narrow for their edge and padding
            return Strip(segments).crop_extend(0, width, None)
        return Strip(segments, width)
