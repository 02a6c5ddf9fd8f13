"""The top bar: session title, provider/model, status, tokens and cost."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.engine.sessions.model import Session
from tui.engine.util.humanize import money, tokens


class SessionHeader(Static):
    """Shows the open session's vital signs; `status` overrides the stored status live."""

    def show(self, session: Session | None, status: str | None = None) -> None:
        if session is None:
            self.update(Text("forktree", style="bold"))
            return
        t = session.totals
        model = f"{session.provider}/{session.model}" if session.model else session.provider
        label = "offline" if session.provider == "echo" else ""
        rest = (
            f"  · {model}{' (' + label + ')' if label else ''}"
            f"  · {status or session.status.value}"
            f"  · {tokens(t.input_tokens + t.output_tokens)} tok"
            f"  · {money(t.cost_usd)}"
        )
        limits = session.options.describe()
        if limits:
            rest += f"  · {limits}"
        room = max(12, (self.size.width or 120) - len(rest) - 2)
        title = session.title if len(session.title) <= room else session.title[: room - 1] + "…"
        text = Text.assemble((title, "bold"), rest)
        text.no_wrap = True
        text.overflow = "ellipsis"
        self.update(text)
