"""Command palette entries (ctrl+p): every action the registry offers there."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.app.actions.registry import palette_actions


class ForktreeCommands(Provider):
    """Runs the main screen's actions by name."""

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action.removeprefix("screen."))

    async def discover(self) -> Hits:
        for spec in palette_actions():
            yield DiscoveryHit(spec.title, partial(self._run, spec.action), help=spec.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for spec in palette_actions():
            score = matcher.match(spec.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(spec.title),
                    partial(self._run, spec.action),
                    help=spec.help,
                )
