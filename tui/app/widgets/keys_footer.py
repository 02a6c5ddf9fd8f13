"""The keys of the focused widget, drawn as one line by one widget.

It looks and acts as Textual's Footer does (keys on the left, the command palette's key
on the right; a click presses the key), but Textual's Footer is a container with a
widget per key, all rebuilt, restyled and laid out again on every change of focus: ~25 ms
of each screen's first frame here. This reads the screen's bindings when it draws."""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

PALETTE_EDGE = "▏"  # the left edge of the command palette's key, as Footer draws it


class Key(NamedTuple):
    """One key shown, and the columns it takes."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    start: int = 0
    end: int = 0


class KeysFooter(Widget):
    """The focused widget's keys (Textual's Footer look), redrawn when they change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--hover",
        "keys-footer--edge",
    }
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .keys-footer--edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, show_command_palette: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.show_command_palette = show_command_palette
        self._drawn: tuple[Key, ...] = ()  # the keys the last render was asked for
        self._shown: tuple[Key, ...] = ()  # those it fitted, with their columns
        self._hover: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen and self._keys() != self._drawn:
            self.refresh()

    def _key(self, binding: Binding, enabled: bool, tooltip: str) -> Key:
        display = self.app.get_key_display(binding)
        return Key(binding.key, display, binding.description, enabled, tooltip)

    def _keys(self) -> tuple[Key, ...]:
        """The keys to show: the screen's, then the command palette's (drawn right)."""
        active = self.screen.active_bindings
        palette = self.app.COMMAND_PALETTE_BINDING
        keys, actions = [], set()
        for key, (_, binding, enabled, tooltip) in active.items():
            if binding.show and key != palette and binding.action not in actions:
                actions.add(binding.action)  # one key per action, as Footer shows
                keys.append(self._key(binding, enabled, tooltip))
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette in active:
            _, binding, enabled, tooltip = active[palette]
            keys.append(self._key(binding, enabled, tooltip or binding.description))
        return tuple(keys)

    def render(self) -> Text:
        keys = self._drawn = self._keys()
        width = self.size.width
        has_palette = bool(keys) and keys[-1].key == self.app.COMMAND_PALETTE_BINDING
        left = keys[:-1] if has_palette else keys
        key_style = self.get_component_rich_style("keys-footer--key")
        description_style = self.get_component_rich_style("keys-footer--description")
        hover = self.get_component_rich_style("keys-footer--hover")
        line = Text(no_wrap=True, overflow="crop", end="")
        placed: list[Key] = []

        def draw(index: int, key: Key, pad: str = " ") -> None:
            start = len(line)
            line.append(f"{pad}{key.display} ", key_style)
            line.append(f"{key.description} " if key.description else "", description_style)
            if not key.enabled:
                line.stylize(Style(dim=True), start)
            if index == self._hover:
                line.stylize(Style(bgcolor=hover.bgcolor), start)
            placed.append(key._replace(start=start, end=len(line)))

        for i, key in enumerate(left):
            draw(i, key)
        if has_palette:
            palette = keys[-1]
            size = len(palette.display) + len(palette.description) + 3  # edge, 2 pads
            room = max(0, width - size)
            line.truncate(room, pad=True)
            placed = [key for key in placed if key.start < room]
            line.append(PALETTE_EDGE, self.get_component_rich_style("keys-footer--edge"))
            draw(len(left), palette, pad="")
        self._shown = tuple(placed)
        return line

    def _at(self, x: int) -> int | None:
        return next((i for i, k in enumerate(self._shown) if k.start <= x < k.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._at(event.x)
        if index != self._hover:
            self._hover = index
            self.tooltip = self._shown[index].tooltip or None if index is not None else None
            self.refresh()

    def on_leave(self, _: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = self._at(event.x)
        if index is None:
            return
        key = self._shown[index]
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
