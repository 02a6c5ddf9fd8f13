"""Main-screen actions on a session's files: reverting with them, and their diffs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.engine import ForktreeError
from tui.engine.files.history import FileSpan, unified_diff
from tui.engine.files.restore import preview
from tui.engine.files.session_files import files_back_to, plan_back_to
from tui.engine.sessions.model import FileChangePart, Message

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


class FileActions:
    """Act through the screen they are given."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def diff_of(self, part: FileChangePart) -> str:
        """A recorded file change as a unified diff (the side pane shows it)."""
        span = FileSpan(part.path, part.before, part.after, part.added, part.removed, True)
        try:
            return unified_diff(self.screen.engine.blobs, span)
        except OSError as exc:  # a blob gone missing: said, not raised
            return f"(the contents are not available: {exc})"

    async def revert(self, message: Message) -> None:
        """Revert to `message`; when files changed after it, ask what moves back."""
        screen = self.screen
        session = screen.engine.session(screen.current or "")
        transcript = screen.engine.transcript(session.id)
        later = transcript[message.depth + 1 :]  # depth: the message's place in it
        if not session.origin.cwd or not any(
            isinstance(p, FileChangePart) for m in later for p in m.parts
        ):
            await self._conversation(message)
            return
        try:
            plan = plan_back_to(screen.engine, session.id, message.id)
            shown = preview(screen.engine.blobs, plan)
        except (ForktreeError, OSError) as exc:
            screen.notify(str(exc), severity="error")
            return
        if not plan.writes:
            await self._conversation(message)
            return
        from tui.app.screens.restore_files import RestoreFilesScreen

        async def chosen(answer: tuple[str, bool] | None) -> None:
            if answer is None:
                return
            mode, force = answer
            if mode in ("both", "files"):
                try:
                    undo = files_back_to(screen.engine, session.id, message.id, force=force)
                except (ForktreeError, OSError) as exc:
                    screen.notify(str(exc), title="No file was written", severity="error")
                    return
                screen.notify(
                    f"{len(undo.files)} file(s) put back; undo with "
                    f"`forktree undo-restore {undo.id[:8]}`",
                    timeout=10,
                )
            if mode in ("both", "conversation"):
                await self._conversation(message)

        screen.app.push_screen(RestoreFilesScreen("Revert", plan, shown), chosen)

    async def _conversation(self, message: Message) -> None:
        screen = self.screen
        try:
            _, kept = screen.engine.revert(screen.current or "", message.id)
        except ForktreeError as exc:
            screen.notify(str(exc), severity="error")
            return
        screen.refresh_tree()
        await screen.open_session(screen.current or "")
        if kept is not None:
            screen.notify(f"Reverted; the old tail is kept as “{kept.title}”.")
