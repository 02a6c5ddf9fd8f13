"""A session's metrics: messages, steps, tool calls (and per tool), tokens and cost, for
its transcript, its branch (since its fork point) and its whole family."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.engine.util.humanize import money, tokens

SCOPES = (("session", "this session"), ("branch", "since its fork"), ("family", "its family"))
ROWS = (
    ("messages", "messages"),
    ("prompts", "your prompts"),
    ("steps", "model steps"),
    ("tool_calls", "tool calls"),
    ("tool_errors", "failed tool calls"),
    ("input_tokens", "tokens in"),
    ("output_tokens", "tokens out"),
    ("cost_usd", "cost"),
)


def metrics_table(stats: dict[str, Any]) -> Table:
    """The counts of `session_stats`, one column per scope, one row per count and tool."""
    table = Table(box=None, padding=(0, 2), expand=False, show_edge=False)
    table.add_column("", style="bold")
    for _, heading in SCOPES:
        table.add_column(heading, justify="right")
    for key, label in ROWS:
        cells = [_cell(key, stats[scope][key]) for scope, _ in SCOPES]
        table.add_row(label, *cells)
    tools = sorted({name for scope, _ in SCOPES for name in stats[scope]["per_tool"]})
    if tools:
        table.add_section()
        for name in tools:
            counts = [str(stats[scope]["per_tool"].get(name, 0)) for scope, _ in SCOPES]
            table.add_row(Text(f"⚙ {name}", "not bold"), *counts)
    sessions = stats["family"].get("sessions")
    if sessions is not None:
        table.add_section()
        table.add_row("sessions", "", "", str(sessions))
    return table


def _cell(key: str, value: float) -> str:
    if key == "cost_usd":
        return money(value)
    if key.endswith("_tokens"):
        return tokens(int(value))
    return str(value)


class MetricsScreen(ModalScreen[None]):
    """The open session's metrics; Escape (or q) closes it."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="metrics.close")]

    def __init__(self, stats: dict[str, Any]) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="metrics"):
            yield Label(Text(f"Metrics · {self.stats['title']}", "bold"), classes="question")
            with VerticalScroll():
                yield Static(metrics_table(self.stats), id="metrics-table")
            yield Label(Text("Esc closes", "dim"))
