"""Runtime events drawn on the main screen: states, the live reply, tool output, results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.engine.sessions.events import (
    ReplyStarted,
    ReplyUpdated,
    Retrying,
    TextDelta,
    ToolOutput,
    ToolResult,
    TurnFinished,
    TurnStarted,
)
from tui.engine.turns.runtime import (
    RunState,
    RuntimeEvent,
    SessionRenamed,
    StateChanged,
    TurnResult,
)

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen


class LiveEvents:
    """Shows what the session runtimes report, on the screen it is given; events of a
    session that is not open only update its line in the tree."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    async def show(self, event: RuntimeEvent) -> None:
        showing = event.session_id == self.screen.current
        if isinstance(event, StateChanged):
            self.screen.session_tree.set_waiting(
                event.session_id, event.new is RunState.WAITING_TOOL
            )
            if showing:
                self.screen.show_header(event.new.value)
        elif isinstance(event, TurnResult):
            live = self.screen.live
            if (
                showing
                and live is not None
                and event.reply is not None
                and event.reply.id == live.message.id
            ):
                await self.screen.transcript.finish_live(event.reply)  # aborted turns end here
                self.screen.live = self.screen.transcript.live
            if showing and event.reply is not None:
                self.screen.transcript.update_message(event.reply)
                await self.screen.side.show_result(event.reply)
            if event.outcome == "error" and event.error:
                self.screen.notify(event.error, title="Reply failed", severity="error", timeout=10)
            self.screen.refresh_node(event.session_id)
        elif isinstance(event, TurnStarted):
            self.screen.refresh_node(event.session_id)
            if showing:
                await self.screen.transcript.pop_queued()
                await self.screen.transcript.add(event.user)
                self.screen.live = await self.screen.transcript.start_live(event.reply)
                await self.screen.side.start_live(event.reply.id)
        elif isinstance(event, SessionRenamed):
            self.screen.refresh_node(event.session_id)
            if showing:
                self.screen.show_header()
        elif isinstance(event, ReplyStarted):
            if showing:
                self.screen.live = await self.screen.transcript.start_live(event.reply)
                self.screen.side.next_reply(event.reply.id)
        elif isinstance(event, ReplyUpdated) and isinstance(event.event, Retrying):
            retry = event.event
            self.screen.notify(
                f"{retry.reason}\nretrying in {retry.delay_s:.0f}s "
                f"(attempt {retry.attempt} of {retry.attempts})",
                title="Retrying",
                severity="warning",
                timeout=max(3.0, retry.delay_s),
            )
            if showing:
                self.screen.show_header(f"retrying in {retry.delay_s:.0f}s")
        elif isinstance(event, ReplyUpdated) and showing:
            inner = event.event
            if type(inner) is TextDelta:
                if self.screen.live is not None:
                    await self.screen.live.write(inner.text)
            elif isinstance(inner, ToolOutput | ToolResult):
                if self.screen.side.owns(inner.tool_id):  # the pane shows the call
                    await self.screen.side.apply_event(inner)
            elif self.screen.live is not None:
                await self.screen.side.apply_event(inner)
        elif isinstance(event, TurnFinished) and showing and self.screen.live is not None:
            await self.screen.transcript.finish_live(event.reply)
            self.screen.live = self.screen.transcript.live
