"""Main-screen actions for Claude Code: import the history, open a session in `claude`."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from tui.engine import Engine, ForktreeError
from tui.engine.store import TinyDBStore

if TYPE_CHECKING:
    from textual.widgets import ProgressBar

    from tui.app.screens.main import MainScreen
    from tui.engine.importers.claude_code import ImportReport


def resume_command(cwd: str | None, claude_session_id: str) -> str:
    """The shell command that continues this session in Claude Code."""
    resume = f"claude --resume {shlex.quote(claude_session_id)}"
    return f"cd {shlex.quote(cwd)} && {resume}" if cwd else resume


class ClaudeCodeActions:
    """Act through the screen they are given."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def import_claude_code(self) -> None:
        from tui.engine.importers.claude_code import default_root  # loaded when first used

        root = default_root()
        if not root.exists():
            self.screen.notify(
                f"No Claude Code history at {root} (set CLAUDE_CONFIG_DIR).", severity="warning"
            )
            return
        from textual.widgets import ProgressBar  # only while an import runs

        bars = self.screen.query("#import-progress").results(ProgressBar)
        bar = next(bars, None) or ProgressBar(id="import-progress", show_eta=False)
        if not bar.is_attached:
            self.screen.mount(bar, before=self.screen.prompt)
        bar.update(total=None, progress=0)
        self.screen.run_worker(
            lambda: self._import_in_background(str(root), bar),
            thread=True,
            exclusive=True,
            group="import",
            exit_on_error=False,
        )

    def _import_in_background(self, root: str, bar: ProgressBar) -> None:
        # its own store object: the import never shares caches with the UI thread, and
        # the store's file lock keeps the two writers apart
        from pathlib import Path

        from tui.engine.importers.claude_code import ClaudeCodeImporter

        engine = Engine(TinyDBStore(self.screen.engine.store.home))
        try:
            report = ClaudeCodeImporter(engine).run(
                Path(root),
                lambda done, total: self.screen.app.call_from_thread(
                    bar.update, total=total, progress=done
                ),
            )
        except (ForktreeError, OSError) as exc:
            self.screen.app.call_from_thread(
                self.screen.notify, f"Import failed: {exc}", severity="error"
            )
            report = None
        finally:
            engine.close()
        self.screen.app.call_from_thread(self._import_done, report)

    def _import_done(self, report: ImportReport | None) -> None:
        for bar in self.screen.query("#import-progress"):
            bar.remove()
        if report is None:
            return
        summary = report.to_dict()
        changed = summary["imported"] or summary["updated"]
        self.screen.notify(
            f"Claude Code: {summary['imported']} imported, {summary['updated']} "
            f"updated, {summary['unchanged']} unchanged"
            + (f", {summary['failed']} failed" if summary["failed"] else ""),
            title="Import",
            timeout=6,
        )
        if changed:
            self.screen.refresh_tree()

    def open_in_claude(self) -> None:
        if self.screen.current is None:
            return
        session = self.screen.engine.session(self.screen.current)
        if session.origin.kind != "claude_code" or not session.origin.source_id:
            self.screen.notify(
                "This session has no Claude Code session to resume.", severity="warning"
            )
            return
        command = resume_command(session.origin.cwd, session.origin.source_id)
        self.screen.app.copy_to_clipboard(command)
        self.screen.notify(command, title="Copied: run it in a shell", timeout=10)
