"""Asks what a revert moves back when the files changed after that message: the
conversation only, the conversation and the files, or the files only; with a preview of
every file it would write (conflicts marked) before anything is written."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tui.engine.files.restore import RestorePlan

CHOICES = (
    ("conversation", "Conversation only"),
    ("both", "Conversation and files"),
    ("files", "Files only"),
)


class RestoreFilesScreen(ModalScreen[tuple[str, bool] | None]):
    """Returns (mode, force) or None; force is asked for only when there are conflicts."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="restore.cancel")]

    def __init__(self, what: str, plan: RestorePlan, preview: str) -> None:
        super().__init__()
        self.what = what
        self.plan = plan
        self.preview = preview

    def compose(self) -> ComposeResult:
        writes, conflicts = self.plan.writes, self.plan.conflicts
        with Vertical(classes="dialog", id="restore-files"):
            yield Label(
                f"{self.what}: {len(writes)} file(s) in {self.plan.folder} changed after "
                "this message. What moves back?",
                classes="question",
            )
            if conflicts:
                yield Label(
                    Text(
                        f"{len(conflicts)} of them changed outside forktree since "
                        f"({', '.join(i.path for i in conflicts[:3])}): writing them "
                        "overwrites that work.",
                        "bold",
                    ),
                    classes="tool-error",
                )
            with VerticalScroll(id="restore-preview"):
                yield Static(Syntax(self.preview, "diff", theme="ansi_dark", word_wrap=True))
            with Horizontal(classes="buttons"):
                for mode, label in CHOICES:
                    yield Button(label, id=mode, variant="primary" if mode == "both" else "default")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#conversation", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        mode = event.button.id or "cancel"
        if mode == "cancel":
            self.dismiss(None)
        else:
            self.dismiss((mode, bool(self.plan.conflicts) and mode != "conversation"))
