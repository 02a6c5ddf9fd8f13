"""Main-screen actions for the coding agents: import their sessions (every agent the
settings name, only what changed), open a session in its own agent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.engine import Engine, ForktreeError
from tui.engine.config.settings import load_settings
from tui.engine.importers.agents import Agent, agent_of, enabled
from tui.engine.store.choose import another_handle

if TYPE_CHECKING:
    from textual.widgets import ProgressBar

    from tui.app.screens.main import MainScreen
    from tui.engine.importers.report import ImportReport

Results = list[tuple[Agent, "ImportReport | None"]]


def agent_folders() -> list[tuple[Agent, Path]]:
    """The enabled agents (settings `agents`) whose folders exist on this machine."""
    settings = load_settings()[0]
    pairs = [(a, a.root(settings.agent_folders)) for a in enabled(settings.agents)]
    return [(a, root) for a, root in pairs if root.exists()]


class AgentActions:
    """Act through the screen they are given."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def import_agents(self) -> None:
        targets = agent_folders()
        if not targets:
            self.screen.notify(
                "No Claude Code, Codex or OpenCode sessions on this machine (their folders: "
                "CLAUDE_CONFIG_DIR, CODEX_HOME, XDG_DATA_HOME, or [agent_folders] in the "
                "settings).",
                severity="warning",
            )
            return
        from textual.widgets import ProgressBar  # only while an import runs

        bars = self.screen.query("#import-progress").results(ProgressBar)
        bar = next(bars, None) or ProgressBar(id="import-progress", show_eta=False)
        if not bar.is_attached:
            self.screen.mount(bar, before=self.screen.prompt)
        bar.update(total=None, progress=0)
        self.screen.run_worker(
            lambda: self._import_in_background(targets, bar),
            thread=True,
            exclusive=True,
            group="import",
            exit_on_error=False,
        )

    def _import_in_background(self, targets: list[tuple[Agent, Path]], bar: ProgressBar) -> None:
        # its own handle on the store (TinyDB or PostgreSQL): the import never shares
        # caches with the UI thread, and the store's own locking keeps the writers apart
        call = self.screen.app.call_from_thread
        results: Results = []
        try:
            engine = Engine(another_handle(self.screen.engine.store))
        except ForktreeError as exc:
            call(self.screen.notify, f"Import failed: {exc}", severity="error")
            call(self._import_done, results)
            return
        try:
            for spec, root in targets:
                try:
                    report = spec.importer(engine).run(
                        root,
                        lambda done, total: call(bar.update, total=total, progress=done),
                    )
                except (ForktreeError, OSError) as exc:
                    call(
                        self.screen.notify,
                        f"{spec.label} import failed: {exc}",
                        severity="error",
                    )
                    report = None
                except Exception as exc:  # a bug: said, and the other agents still come in
                    call(
                        self.screen.notify,
                        f"{spec.label} import failed ({type(exc).__name__}: {exc}); "
                        "what was imported before it is kept",
                        severity="error",
                    )
                    report = None
                results.append((spec, report))
        finally:
            engine.close()
        call(self._import_done, results)

    def _import_done(self, results: Results) -> None:
        for bar in self.screen.query("#import-progress"):
            bar.remove()
        lines, changed = [], False
        for spec, report in results:
            if report is None:
                continue
            summary = report.to_dict()
            changed = changed or bool(summary["imported"] or summary["updated"])
            lines.append(
                f"{spec.label}: {summary['imported']} imported, {summary['updated']} "
                f"updated, {summary['unchanged']} unchanged"
                + (f", {summary['failed']} failed" if summary["failed"] else "")
            )
        if lines:
            self.screen.notify("\n".join(lines), title="Import", timeout=6)
        if changed:
            self.screen.refresh_tree()

    def open_in_agent(self) -> None:
        if self.screen.current is None:
            return
        session = self.screen.engine.session(self.screen.current)
        spec = agent_of(session.origin.kind)
        if spec is None or not session.origin.source_id:
            self.screen.notify(
                "This session did not come from Claude Code, Codex or OpenCode: there is "
                "no agent session to resume.",
                severity="warning",
            )
            return
        command = spec.resume_command(session.origin.cwd, session.origin.source_id)
        self.screen.app.copy_to_clipboard(command)
        self.screen.notify(command, title="Copied: run it in a shell", timeout=10)
