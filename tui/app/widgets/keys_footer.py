"""Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[object, ...]


class KeysFooter(Footer):
    """Textual rebuilds its Footer (a widget and a layout per key) on every change of
    focus, even when the keys shown stay the same: four times during start-up, and
    once for each move between messages. This one skips those rebuilds."""

    def __init__(self, **kwargs: Any) -> None:  # Widget's own keywords (id, classes…)
        super().__init__(**kwargs)
        self._shown: Shown | None = None  # asked for (a rebuild may be pending)
        self._composed: Shown | None = None  # what its key widgets show

    def _keys(self) -> Shown:
        return (
            self.compact,
            self.show_command_palette,
            *(
                (binding.key, binding.key_display, binding.description, enabled, tooltip)
                for _, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show
            ),
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen and self._bindings_ready and screen.app.app_focus:
            keys = self._keys()
            if keys == self._shown:
                return  # shown already, or in the rebuild that is pending
            self._shown = keys
        super().bindings_changed(screen)

    async def show_now(self) -> None:
        """The keys, in the screen's first frame: Textual's Footer shows none until a
        frame after the screen's bindings first change (a blink after a saved frame)."""
        self.set_reactive(Footer._bindings_ready, True)
        with self._context():  # the keys bind to this footer's reactives, as they compose
            await self.recompose()

    async def recompose(self) -> None:
        """A rebuild queued before `show_now` drew the same keys is skipped."""
        if self._composed is None or self._composed != self._keys():
            await super().recompose()

    def compose(self) -> ComposeResult:
        self._shown = self._composed = self._keys() if self._bindings_ready else None
        yield from super().compose()
