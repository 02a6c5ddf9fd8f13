"""Main-screen actions on whole sessions: rename, archive, delete, export, model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.app.screens.dialogs import ConfirmScreen, TextPromptScreen
from tui.app.screens.model_picker import ModelPickerScreen
from tui.engine import ForktreeError
from tui.engine.explore.export import to_json, to_markdown
from tui.engine.providers import configured

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


class SessionActions:
    """Mixed into MainScreen."""

    def _selected_session(self: MainScreen) -> str | None:
        if (
            self.focused is self.session_tree
            and self.session_tree.cursor_node
            and self.session_tree.cursor_node.data
        ):
            return self.session_tree.cursor_node.data
        return self.current

    def action_rename(self: MainScreen) -> None:
        target = self._selected_session()
        if target is None:
            return

        async def renamed(title: str | None) -> None:
            if title is None:
                return
            try:
                self.engine.rename(target, title)
            except ForktreeError as exc:
                self.notify(str(exc), severity="error")
                return
            self.refresh_tree()
            self._show_header()

        title = self.engine.session(target).title
        self.app.push_screen(TextPromptScreen("Rename session", title), renamed)

    async def action_archive(self: MainScreen) -> None:
        target = self._selected_session()
        if target is None:
            return
        session = self.engine.archive(target, archived=not self.engine.session(target).archived)
        self.notify(f"{'Archived' if session.archived else 'Unarchived'} “{session.title}”")
        await self._after_removal(target)

    def action_delete(self: MainScreen) -> None:
        target = self._selected_session()
        if target is None:
            return
        session = self.engine.session(target)

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            self.engine.delete(target)
            self.notify(f"Deleted “{session.title}”")
            await self._after_removal(target)

        self.app.push_screen(
            ConfirmScreen(f"Delete “{session.title}”? Its forks are kept."), confirmed
        )

    async def _after_removal(self: MainScreen, session_id: str) -> None:
        remaining = self.engine.sessions()
        if session_id == self.current:
            self.current = remaining[0].id if remaining else self.engine.new_session().id
        self.refresh_tree()
        await self.open_session(self.current)  # type: ignore[arg-type]

    def action_export(self: MainScreen) -> None:
        if self.current is None:
            return
        session = self.engine.session(self.current)
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in session.title)[:40]
        default = str(Path.cwd() / f"{safe or 'session'}.md")

        def chosen(path: str | None) -> None:
            if not path:
                return
            messages = self.engine.transcript(session.id)
            as_json = path.endswith(".json")
            text = to_json(session, messages) if as_json else to_markdown(session, messages)
            try:
                Path(path).expanduser().write_text(text, encoding="utf-8")
            except OSError as exc:
                self.notify(f"Could not write {path}: {exc.strerror}", severity="error")
                return
            self.notify(f"Exported to {path}")

        self.app.push_screen(TextPromptScreen("Export to (.md or .json)", default), chosen)

    def action_pick_model(self: MainScreen) -> None:
        if self.current is None:
            return
        session = self.engine.session(self.current)
        target = session.id

        def picked(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            try:
                changed = self.engine.set_model(target, choice[0], choice[1])
            except ForktreeError as exc:
                self.notify(str(exc), severity="error")
                return
            self.runtimes.pop(target, None)
            self._show_header()
            self.notify(f"Next replies from {changed.provider}/{changed.model}")

        current = (session.provider, session.model or "")
        self.app.push_screen(ModelPickerScreen(configured(), current), picked)

    def action_copy_message(self: MainScreen) -> None:
        message = self.transcript.focused_message()
        if message is None:
            self.notify("Focus a message first (↑ on an empty prompt).")
            return
        self.app.copy_to_clipboard(message.text)
        self.notify(f"Copied the message ({len(message.text):,} characters).")

    def action_copy_branch(self: MainScreen) -> None:
        if self.current is None:
            return
        session = self.engine.session(self.current)
        text = to_markdown(session, self.engine.transcript(session.id))
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the branch as Markdown ({len(text):,} characters).")

    async def action_compact(self: MainScreen) -> None:
        if self.current is None:
            return
        from tui.engine.turns.compaction import compact

        self._show_header("compacting")
        try:
            await compact(self.engine, self.current)
        except ForktreeError as exc:
            self.notify(str(exc), severity="error")
        await self.open_session(self.current)
        self.notify(
            "Compacted: the model now sees the summary and what follows it; the "
            "full history stays above."
        )
