"""Asks the user whether a tool call may run: allow once, always (this session), or
reject with an optional reason that goes back to the model."""

from __future__ import annotations

import difflib

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.app.widgets.code import code_block, pretty_json
from tui.engine.tools import Decision, PermissionRequest, Verdict
from tui.engine.util.humanize import terminal_safe

PREVIEW_LINES = 40


def _clip_lines(text: str) -> str:
    lines = text.splitlines()
    if len(lines) <= PREVIEW_LINES:
        return text
    return "\n".join(lines[:PREVIEW_LINES]) + f"\n… {len(lines) - PREVIEW_LINES} more lines"


def detail(request: PermissionRequest) -> RenderableType:
    """What exactly would happen: the command, the new content, or the edit as a diff.
    Every byte of it is shown: a carriage return or an escape sequence appears as `\\r`
    or `\\x1b`, so what is shown is what would run."""
    args = request.input
    if request.name == "run_command":
        return code_block(terminal_safe(str(args.get("command", ""))), "bash")
    if request.name == "write_file":
        return code_block(terminal_safe(_clip_lines(str(args.get("content", "")))), "text")
    if request.name == "edit_file":
        diff = difflib.unified_diff(
            str(args.get("old_text", "")).splitlines(),
            str(args.get("new_text", "")).splitlines(),
            lineterm="",
            n=1,
        )
        lines = ["…" if line.startswith("@@") else line for line in list(diff)[2:]]
        return code_block(terminal_safe(_clip_lines("\n".join(lines[1:]))), "diff")
    return code_block(terminal_safe(pretty_json(args)), "json")


def _plain(text: str) -> Text:
    """Untrusted text for a label: no markup, nothing interpreted."""
    return Text(terminal_safe(text))


class PermissionScreen(ModalScreen[Verdict]):
    """y allows once, a allows this tool for the rest of the session, n asks for a
    reason and rejects; Escape rejects at once. Nothing runs until one is chosen."""

    BINDINGS = [
        Binding("y", "answer('allow_once')", "Allow once", id="permission.once"),
        Binding("a", "answer('allow_always')", "Always", id="permission.always"),
        Binding("n", "reject", "Reject…", id="permission.reject"),
        Binding("escape", "answer('reject')", "Reject now", id="permission.reject_now"),
    ]

    def __init__(self, request: PermissionRequest, session_title: str = "") -> None:
        super().__init__()
        self.request = request
        self.session_title = session_title

    def compose(self) -> ComposeResult:
        request = self.request
        kind = "run a command" if request.name == "run_command" else f"use {request.name}"
        with Vertical(classes="dialog", id="permission"):
            where = f"“{self.session_title}” " if self.session_title else ""
            yield Label(_plain(f"The model in {where}wants to {kind}:"), classes="question")
            yield Label(_plain(request.summary), id="permission-summary")
            with VerticalScroll(id="permission-detail"):
                yield Static(detail(request))
            yield Label(_plain(f"in {request.folder}"), id="permission-folder")
            yield Input(placeholder="why not? (optional) — Enter rejects", id="reason")
            with Horizontal(classes="buttons"):
                yield Button("Allow once (y)", variant="success", id="allow_once")
                yield Button("Always, this session (a)", id="allow_always")
                yield Button("Reject (n)", variant="error", id="reject")

    def on_mount(self) -> None:
        self.query_one("#reason").display = False
        self.query_one("#reject", Button).focus()  # Enter alone never allows

    def action_answer(self, decision: str) -> None:
        self.dismiss(Verdict(Decision(decision)))

    def action_reject(self) -> None:
        reason = self.query_one("#reason", Input)
        reason.display = True
        reason.focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reject":
            self.action_reject()
        elif event.button.id:
            self.action_answer(event.button.id)

    @on(Input.Submitted, "#reason")
    def _reason(self, event: Input.Submitted) -> None:
        self.dismiss(Verdict(Decision.REJECT, event.value.strip()))
