"""Main-screen actions on branches: fork, edit-and-resend, revert, compare, fan-out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.app.screens.dialogs import TextPromptScreen
from tui.app.screens.switcher import SwitcherScreen
from tui.engine import ForktreeError, Message
from tui.engine.providers import configured

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


class BranchActions:
    """Mixed into MainScreen."""

    def _target_message(self: MainScreen) -> Message | None:
        focused = self.transcript.focused_message()
        if focused is not None:
            return focused
        return self.transcript.messages[-1] if self.transcript.messages else None

    async def action_fork(self: MainScreen) -> None:
        if self.current is None:
            return
        point = self._target_message()
        try:
            fork = self.engine.fork(self.current, at=point.id if point else None)
        except ForktreeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.current = fork.id
        self.refresh_tree()
        await self.open_session(fork.id)
        where = f"message {point.depth + 1}" if point else "the start"
        self.notify(f"Forked at {where}: {fork.title}")
        self.prompt.focus()

    async def action_edit(self: MainScreen) -> None:
        message = self.transcript.focused_message()
        if self.current is None or message is None:
            self.notify("Focus one of your messages first (up/down in the transcript).")
            return
        try:
            kept = self.engine.prepare_edit(self.current, message.id)
        except ForktreeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_tree()
        await self.open_session(self.current)
        self.prompt.load_text(message.text)
        self.prompt.focus()
        self.notify(f"Edit and press Enter; the old branch is kept as “{kept.title}”.")

    async def action_revert(self: MainScreen) -> None:
        message = self.transcript.focused_message()
        if self.current is None or message is None:
            self.notify("Focus a message first (up/down in the transcript).")
            return
        try:
            _, kept = self.engine.revert(self.current, message.id)
        except ForktreeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_tree()
        await self.open_session(self.current)
        if kept is not None:
            self.notify(f"Reverted; the old tail is kept as “{kept.title}”.")

    def _open_compare(self: MainScreen, a: str, b: str) -> None:  # type: ignore[misc]
        from tui.app.screens.compare import (
            CompareScreen,  # the screens below load when first opened
        )

        self.app.push_screen(CompareScreen(self.engine, a, b))

    def action_compare(self: MainScreen) -> None:
        """Compare the open session with one picked in the switcher."""
        if self.current is None:
            return
        first = self.current
        others = [s for s in self.engine.sessions() if s.id != first]

        def picked(other: str | None) -> None:
            if other:
                self._open_compare(first, other)

        self.app.push_screen(SwitcherScreen(others, "Compare with… (type to filter)"), picked)

    def action_fanout(self: MainScreen) -> None:
        """Send the prompt being typed to new forks at the head, one per model, at once."""
        text = self.prompt.text
        if self.current is None or not text.strip():
            self.notify("Type the prompt first, then fan out (ctrl+p → Fan out).")
            return
        parent = self.current
        session = self.engine.session(parent)
        default = ", ".join(
            dict.fromkeys(
                [f"{session.provider}/{session.model or ''}".rstrip("/")]
                + [f"{i.name}/{i.model}" for i in configured().values()]
            )
        )

        def chosen(spec: str | None) -> None:
            if not spec:
                return
            from tui.engine.explore.fanout import make_forks, parse_target

            targets = [parse_target(x) for x in spec.split(",") if x.strip()]
            try:
                forks = make_forks(self.engine, parent, targets)
            except ForktreeError as exc:
                self.notify(str(exc), severity="error")
                return
            self.prompt.clear()
            for fork in forks:
                runtime = self.runtime_for(fork.id)
                runtime.submit(text)
                self.turns[fork.id] = self._run(runtime)
            self.refresh_tree()
            self.notify(
                f"Fanned out to {len(forks)} forks; F5 compares, "
                "'Keep this fork as the winner' archives the rest."
            )

        self.app.push_screen(
            TextPromptScreen("Fan out to (comma-separated provider/model)", default), chosen
        )

    def action_winner(self: MainScreen) -> None:
        if self.current is None:
            return
        from tui.engine.explore.fanout import choose_winner

        archived = choose_winner(self.engine, self.current)
        if not archived:
            self.notify("This session has no sibling forks to archive.")
            return
        self.refresh_tree()
        self.notify(f"Kept this fork; archived {len(archived)} sibling(s) (not deleted).")

    def action_mark(self: MainScreen) -> None:
        """Mark the tree's selected session; the second mark opens the compare screen."""
        node = self.session_tree.cursor_node
        if node is None or not node.data:
            return
        if node.data in self.marked:
            self.marked.remove(node.data)
        else:
            self.marked.append(node.data)
        self.session_tree.marked = set(self.marked)
        self.refresh_tree()
        if len(self.marked) == 2:
            a, b = self.marked
            self.marked.clear()
            self.session_tree.marked = set()
            self.refresh_tree()
            self._open_compare(a, b)
        else:
            self.notify("Marked; mark another session (m) to compare the two.")

    def action_checkpoint(self: MainScreen) -> None:
        """Name the focused message (or the head) as a checkpoint."""
        message = self._target_message()
        if self.current is None or message is None:
            return
        target = self.current

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                self.engine.checkpoint(target, message.id, name)
            except ForktreeError as exc:
                self.notify(str(exc), severity="error")
                return
            self.refresh_tree()
            self.notify(f"Checkpoint “{name}” saved; select it in the tree to restore it.")

        self.app.push_screen(
            TextPromptScreen("Checkpoint name", f"message {message.depth + 1}"), named
        )

    def action_family_graph(self: MainScreen) -> None:
        if self.current is None:
            return

        async def chosen(session_id: str | None) -> None:
            if session_id and session_id != self.current:
                await self.open_session(session_id)

        family = self.engine.family(self.current)
        from tui.app.screens.family_graph import FamilyGraphScreen

        self.app.push_screen(FamilyGraphScreen(family, self.current), chosen)
