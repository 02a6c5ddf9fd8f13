"""Main-screen actions on branches: fork, edit-and-resend, revert, compare, fan-out."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.app.screens.dialogs import ConfirmScreen, TextPromptScreen
from tui.app.screens.session_options import OptionsChoice, SessionOptionsScreen
from tui.app.screens.switcher import SessionSource, SwitcherScreen
from tui.engine import ForktreeError, Message, Role
from tui.engine.providers import configured

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


@dataclass(frozen=True, slots=True)
class Editing:
    """A prompt being edited in the prompt box, and what the box held before."""

    session_id: str
    message_id: str
    stash: str


class BranchActions:
    """Act through the screen they are given."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.editing: Editing | None = None

    def _target_message(self) -> Message | None:
        focused = self.screen.transcript.focused_message()
        if focused is not None:
            return focused
        return self.screen.transcript.messages[-1] if self.screen.transcript.messages else None

    def fork_with_options(self) -> None:
        """Fork at the focused message with the options asked for in a dialog."""
        if self.screen.current is None:
            return
        parent = self.screen.engine.session(self.screen.current)
        point = self._target_message()

        async def chosen(choice: OptionsChoice | None) -> None:
            if choice is not None:
                await self.fork(point, choice)

        dialog = SessionOptionsScreen(
            "Fork with options",
            parent.options,
            parent.system_prompt or "",
            title=f"{parent.title} (fork)",
            defaults=self.screen.controller.runs.settings.session,
            ask_folder=parent.origin.cwd is not None,
        )
        self.screen.app.push_screen(dialog, chosen)

    async def fork(self, point: Message | None = None, choice: OptionsChoice | None = None) -> None:
        if self.screen.current is None:
            return
        point = point or self._target_message()
        try:
            fork = self.screen.engine.fork(
                self.screen.current,
                at=point.id if point else None,
                title=choice.title if choice else None,
                system_prompt=choice.system_prompt if choice else None,
                options=choice.options if choice else None,
            )
        except ForktreeError as exc:
            self.screen.notify(str(exc), severity="error")
            return
        folder = ""
        if choice is not None and choice.worktree:
            from tui.engine.files.worktree import make_workspace

            try:
                fork = await asyncio.to_thread(make_workspace, self.screen.engine, fork.id)
            except (ForktreeError, OSError) as exc:
                self.screen.engine.delete(fork.id)  # not without the folder it was asked for
                self.screen.notify(str(exc), title="Not forked", severity="error")
                return
            folder = f"; it works in {fork.origin.cwd}"
        self.screen.current = fork.id
        self.screen.refresh_tree()
        await self.screen.open_session(fork.id)
        where = f"message {point.depth + 1}" if point else "the start"
        self.screen.notify(f"Forked at {where}: {fork.title}{folder}")
        self.screen.prompt.focus()

    def edit(self) -> None:
        """Load the focused prompt into the prompt box to edit; nothing changes until it
        is sent (`send_edit`), and Escape puts back what the box held (`cancel_edit`)."""
        message = self.screen.transcript.focused_message()
        if self.screen.current is None or message is None:
            self.screen.notify("Focus one of your messages first (up/down in the transcript).")
            return
        if message.role is not Role.USER:
            self.screen.notify("Only your own messages can be edited and resent.")
            return
        prompt = self.screen.prompt
        stash = self.editing.stash if self.editing else prompt.text
        self.editing = Editing(self.screen.current, message.id, stash)
        prompt.load_text(message.text)
        prompt.move_cursor(prompt.document.end)
        prompt.border_title = "editing: Enter sends it as a new branch · Esc cancels"
        prompt.add_class("-editing")
        prompt.focus()

    def cancel_edit(self) -> bool:
        """Stop editing, the prompt box as it was; False when nothing was being edited."""
        if self.editing is None:
            return False
        self.screen.prompt.load_text(self.editing.stash)
        self.screen.prompt.move_cursor(self.screen.prompt.document.end)
        self._done_editing()
        self.screen.notify("Edit cancelled; nothing changed.")
        return True

    def _done_editing(self) -> None:
        self.editing = None
        self.screen.prompt.border_title = None
        self.screen.prompt.remove_class("-editing")

    async def send_edit(self, text: str) -> None:
        """Send the edited prompt: only now is the old tail kept as its own branch."""
        editing = self.editing
        assert editing is not None
        self._done_editing()
        try:
            kept = self.screen.engine.prepare_edit(editing.session_id, editing.message_id)
        except ForktreeError as exc:
            self.screen.notify(str(exc), severity="error")
            return
        self.screen.refresh_tree()
        await self.screen.open_session(editing.session_id)
        await self.screen.send(text)
        if editing.stash.strip():
            self.screen.prompt.load_text(editing.stash)
        self.screen.notify(f"Sent as a new branch; the old one is kept as “{kept.title}”.")

    async def revert(self) -> None:
        message = self.screen.transcript.focused_message()
        if self.screen.current is None or message is None:
            self.screen.notify("Focus a message first (up/down in the transcript).")
            return
        await self.screen.files.revert(message)

    def _open_compare(self, a: str, b: str) -> None:
        from tui.app.screens.compare import (
            CompareScreen,  # the screens below load when first opened
        )

        self.screen.app.push_screen(CompareScreen(self.screen.engine, a, b))

    def compare(self) -> None:
        """Compare the open session with one picked in the switcher."""
        if self.screen.current is None:
            return
        first = self.screen.current
        others = SessionSource.from_engine(self.screen.engine, leave_out=first)

        def picked(other: str | None) -> None:
            if other:
                self._open_compare(first, other)

        self.screen.app.push_screen(
            SwitcherScreen(others, "Compare with… (type to filter)"), picked
        )

    def fanout(self) -> None:
        """Send the prompt being typed to new forks at the head, one per model, at once."""
        text = self.screen.prompt.text
        if self.screen.current is None or not text.strip():
            self.screen.notify("Type the prompt first, then fan out (ctrl+p → Fan out).")
            return
        parent = self.screen.current
        session = self.screen.engine.session(parent)
        default = ", ".join(
            dict.fromkeys(
                [f"{session.provider}/{session.model or ''}".rstrip("/")]
                + [f"{i.name}/{i.model}" for i in configured().values()]
            )
        )

        def chosen(spec: str | None) -> None:
            if not spec:
                return
            from tui.engine.explore.fanout import parse_target

            targets = [parse_target(x) for x in spec.split(",") if x.strip()]
            try:
                forks = self.screen.controller.fan_out(parent, targets, text)
            except ForktreeError as exc:
                self.screen.notify(str(exc), severity="error")
                return
            self.screen.prompt.clear()
            self.screen.refresh_tree()
            self.screen.notify(
                f"Fanned out to {len(forks)} forks; F5 compares, "
                "'Keep this fork as the winner' archives the rest."
            )

        self.screen.app.push_screen(
            TextPromptScreen("Fan out to (comma-separated provider/model)", default), chosen
        )

    def winner(self) -> None:
        """Keep this fork: archive its siblings; a fork with its own folder is asked
        whether its file changes go into the parent's folder too."""
        if self.screen.current is None:
            return
        from tui.engine.explore.fanout import choose_winner
        from tui.engine.files.session_files import apply_winner, plan_winner

        winner = self.screen.engine.session(self.screen.current)

        def keep(carry: bool) -> None:
            if carry:
                try:
                    undo = apply_winner(self.screen.engine, winner.id)
                except (ForktreeError, OSError) as exc:
                    self.screen.notify(str(exc), title="Nothing kept", severity="error")
                    return
                self.screen.notify(f"{len(undo.files)} file(s) carried into the parent's folder.")
            archived = choose_winner(self.screen.engine, winner.id)
            self.screen.refresh_tree()
            if archived:
                self.screen.notify(f"Kept this fork; archived {len(archived)} sibling(s).")
            elif not carry:
                self.screen.notify("This session has no sibling forks to archive.")

        writes = []
        if winner.origin.workspace:
            try:
                writes = plan_winner(self.screen.engine, winner.id).writes
            except (ForktreeError, OSError) as exc:
                self.screen.notify(str(exc), severity="warning")
        if not writes:
            keep(False)
            return
        names = ", ".join(item.path for item in writes[:4]) + (" …" if len(writes) > 4 else "")
        question = (
            f"Keep this fork as the winner. Also carry its {len(writes)} changed file(s) "
            f"({names}) into the parent's folder? (No keeps the files where they are.)"
        )

        def answered(yes: bool | None) -> None:
            keep(bool(yes))

        self.screen.app.push_screen(ConfirmScreen(question), answered)

    def mark(self) -> None:
        """Mark the tree's selected session; the second mark opens the compare screen."""
        node = self.screen.session_tree.cursor_node
        if node is None or not node.data:
            return
        if node.data in self.screen.marked:
            self.screen.marked.remove(node.data)
        else:
            self.screen.marked.append(node.data)
        self.screen.session_tree.marked = set(self.screen.marked)
        self.screen.refresh_tree()
        if len(self.screen.marked) == 2:
            a, b = self.screen.marked
            self.screen.marked.clear()
            self.screen.session_tree.marked = set()
            self.screen.refresh_tree()
            self._open_compare(a, b)
        else:
            self.screen.notify("Marked; mark another session (m) to compare the two.")

    def checkpoint(self) -> None:
        """Name the focused message (or the head) as a checkpoint."""
        message = self._target_message()
        if self.screen.current is None or message is None:
            return
        target = self.screen.current

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                self.screen.engine.checkpoint(target, message.id, name)
            except ForktreeError as exc:
                self.screen.notify(str(exc), severity="error")
                return
            self.screen.refresh_tree()
            self.screen.notify(f"Checkpoint “{name}” saved; select it in the tree to restore it.")

        self.screen.app.push_screen(
            TextPromptScreen("Checkpoint name", f"message {message.depth + 1}"), named
        )

    def family_graph(self) -> None:
        if self.screen.current is None:
            return

        async def chosen(session_id: str | None) -> None:
            if session_id and session_id != self.screen.current:
                await self.screen.open_session(session_id)

        family = self.screen.engine.family(self.screen.current)
        from tui.app.screens.family_graph import FamilyGraphScreen

        self.screen.app.push_screen(FamilyGraphScreen(family, self.screen.current), chosen)
