"""A screen compositor that scrolls without repainting the whole screen after a layout.

Textual's compositor forgets which widgets were on screen at every full layout (a
message added, a session opened), so the next scroll finds every widget "newly exposed":
it repaints the whole screen and tells each widget its size again, and each scrolling
widget (the session tree) then redraws its scrollbar in one more frame, one or two frame
periods later. Paging up right after a page loaded took ~55 ms to settle for that.
What is on screen is still known then: it is in the full map that layout just built.

It also renders, for a partial update, only the widgets whose visible part meets it.
Textual tests each widget's clip (its container's whole region), so a page up in the
transcript rendered every widget of the row of panes in full: the session tree, the side
pane and their scrollbars too, for lines that the update then left out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual._compositor import Compositor
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class ScrollingCompositor(Compositor):
    """Compares a scroll with what the last layout placed, not with nothing."""

    def reflow_visible(self, parent: Widget, size: Size) -> set[Widget]:
        if self._visible_map is None and self._full_map and size == self.size:
            self._visible_map = self._full_map  # what is on screen, as laid out
        return super().reflow_visible(parent, size)

    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        every = self.visible_widgets
        if crop is None:
            yield from super()._get_renders(crop)
            return
        meets = crop.overlaps
        shown = {w: (r, c) for w, (r, c) in every.items() if meets(r.intersection(c))}
        self._visible_widgets = shown  # what Textual's own method goes through
        try:
            yield from super()._get_renders(crop)
        finally:
            if self._visible_widgets is shown:  # not invalidated meanwhile
                self._visible_widgets = every


def use_scrolling_compositor(screen: Screen[Any]) -> None:
    """Give `screen` (just constructed, not yet mounted) the compositor above."""
    screen._compositor = ScrollingCompositor()
