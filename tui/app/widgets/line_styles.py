"""Styles for widgets that draw their own lines (the Line API): what Textual's styling
gives a component class, without the parts such a widget applies itself."""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def foreground(widget: Widget, component: str) -> Style:
    """A component's colour and text style, without its background (the widget lays
    its lines over its own background)."""
    full = widget.get_component_rich_style(component)
    partial = widget.get_component_rich_style(component, partial=True)
    return Style(color=full.color, bold=partial.bold, italic=partial.italic)
