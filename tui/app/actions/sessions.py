"""Main-screen actions on whole sessions: rename, archive, delete, export, model."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tui.app.screens.dialogs import ConfirmScreen, TextPromptScreen
from tui.app.screens.model_picker import ModelPickerScreen
from tui.app.screens.session_options import OptionsChoice, SessionOptionsScreen
from tui.engine import ForktreeError
from tui.engine.explore.export import to_json, to_markdown
from tui.engine.providers import configured
from tui.engine.sessions.options import NO_OPTIONS

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


class SessionActions:
    """Act through the screen they are given."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def _selected_session(self) -> str | None:
        if (
            self.screen.focused is self.screen.session_tree
            and self.screen.session_tree.cursor_node
            and self.screen.session_tree.cursor_node.data
        ):
            return self.screen.session_tree.cursor_node.data
        return self.screen.current

    def rename(self) -> None:
        target = self._selected_session()
        if target is None:
            return

        async def renamed(title: str | None) -> None:
            if title is None:
                return
            try:
                self.screen.engine.rename(target, title)
            except ForktreeError as exc:
                self.screen.notify(str(exc), severity="error")
                return
            self.screen.refresh_tree()
            self.screen.show_header()

        title = self.screen.engine.session(target).title
        self.screen.app.push_screen(TextPromptScreen("Rename session", title), renamed)

    async def archive(self) -> None:
        target = self._selected_session()
        if target is None:
            return
        session = self.screen.engine.archive(
            target, archived=not self.screen.engine.session(target).archived
        )
        self.screen.notify(f"{'Archived' if session.archived else 'Unarchived'} “{session.title}”")
        await self._after_removal(target)

    def delete(self) -> None:
        target = self._selected_session()
        if target is None:
            return
        session = self.screen.engine.session(target)

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            self.screen.engine.delete(target)
            self.screen.notify(f"Deleted “{session.title}”")
            await self._after_removal(target)

        self.screen.app.push_screen(
            ConfirmScreen(f"Delete “{session.title}”? Its forks are kept."), confirmed
        )

    async def _after_removal(self, session_id: str) -> None:
        remaining = self.screen.engine.sessions()
        current = self.screen.current
        if current is None or session_id == current:
            current = remaining[0].id if remaining else self.screen.engine.new_session().id
        self.screen.current = current
        self.screen.refresh_tree()
        await self.screen.open_session(current)

    def export(self) -> None:
        if self.screen.current is None:
            return
        session = self.screen.engine.session(self.screen.current)
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in session.title)[:40]
        default = str(Path.cwd() / f"{safe or 'session'}.md")

        def chosen(path: str | None) -> None:
            if not path:
                return
            messages = self.screen.engine.transcript(session.id)
            as_json = path.endswith(".json")
            text = to_json(session, messages) if as_json else to_markdown(session, messages)
            try:
                Path(path).expanduser().write_text(text, encoding="utf-8")
            except OSError as exc:
                self.screen.notify(f"Could not write {path}: {exc.strerror}", severity="error")
                return
            self.screen.notify(f"Exported to {path}")

        self.screen.app.push_screen(TextPromptScreen("Export to (.md or .json)", default), chosen)

    def new_session(self) -> None:
        """Ask for the new session's options (Enter takes the defaults), then open it."""

        async def chosen(choice: OptionsChoice | None) -> None:
            if choice is None:
                return
            session = self.screen.engine.new_session(
                title=choice.title,
                system_prompt=choice.system_prompt or None,
                options=choice.options,
                cwd=os.getcwd(),
            )
            self.screen.current = session.id
            self.screen.refresh_tree()
            await self.screen.open_session(session.id)
            self.screen.prompt.focus()

        defaults = self.screen.controller.runs.settings.session
        dialog = SessionOptionsScreen("New session", NO_OPTIONS, defaults=defaults)
        self.screen.app.push_screen(dialog, chosen)

    def session_options(self) -> None:
        """Change the open session's system prompt, limits and tools."""
        if self.screen.current is None:
            return
        session = self.screen.engine.session(self.screen.current)
        target = session.id

        def chosen(choice: OptionsChoice | None) -> None:
            if choice is None:
                return
            changed = self.screen.engine.set_options(
                target, options=choice.options, system_prompt=choice.system_prompt
            )
            self.screen.controller.forget(target)  # the next turn runs with them
            self.screen.show_header()
            described = changed.options.describe() or "the settings' defaults"
            self.screen.notify(f"From the next prompt on: {described}")

        dialog = SessionOptionsScreen(
            f"Options of “{session.title}”",
            session.options,
            session.system_prompt or "",
            ask_title=False,
            defaults=self.screen.controller.runs.settings.session,
        )
        self.screen.app.push_screen(dialog, chosen)

    def metrics(self) -> None:
        if self.screen.current is None:
            return
        from tui.app.screens.metrics import MetricsScreen
        from tui.engine.explore.stats import session_stats

        self.screen.app.push_screen(
            MetricsScreen(session_stats(self.screen.engine, self.screen.current))
        )

    def pick_model(self) -> None:
        if self.screen.current is None:
            return
        session = self.screen.engine.session(self.screen.current)
        target = session.id

        def picked(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            try:
                changed = self.screen.engine.set_model(target, choice[0], choice[1])
            except ForktreeError as exc:
                self.screen.notify(str(exc), severity="error")
                return
            self.screen.controller.forget(target)
            self.screen.show_header()
            self.screen.notify(f"Next replies from {changed.provider}/{changed.model}")

        current = (session.provider, session.model or "")
        self.screen.app.push_screen(ModelPickerScreen(configured(), current), picked)

    def copy_message(self) -> None:
        message = self.screen.transcript.focused_message()
        if message is None:
            self.screen.notify("Focus a message first (↑ on an empty prompt).")
            return
        self.screen.app.copy_to_clipboard(message.text)
        self.screen.notify(f"Copied the message ({len(message.text):,} characters).")

    def copy_branch(self) -> None:
        if self.screen.current is None:
            return
        session = self.screen.engine.session(self.screen.current)
        text = to_markdown(session, self.screen.engine.transcript(session.id))
        self.screen.app.copy_to_clipboard(text)
        self.screen.notify(f"Copied the branch as Markdown ({len(text):,} characters).")

    async def compact(self) -> None:
        if self.screen.current is None:
            return
        from tui.engine.turns.compaction import compact

        self.screen.show_header("compacting")
        try:
            await compact(self.screen.engine, self.screen.current)
        except ForktreeError as exc:
            self.screen.notify(str(exc), severity="error")
        await self.screen.open_session(self.screen.current)
        self.screen.notify(
            "Compacted: the model now sees the summary and what follows it; the "
            "full history stays above."
        )
