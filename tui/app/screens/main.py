"""The main screen: session tree, transcript, tool/thinking pane and prompt."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Tree

from tui.app.actions.agents import AgentActions
from tui.app.actions.branches import BranchActions
from tui.app.actions.files import FileActions
from tui.app.actions.registry import bindings
from tui.app.actions.sessions import SessionActions
from tui.app.agent_watch import AgentWatch
from tui.app.compositor import use_scrolling_compositor
from tui.app.controller import RunWatcher, SessionController
from tui.app.screens.live_events import LiveEvents
from tui.app.screens.permission import PermissionScreen
from tui.app.screens.switcher import SessionSource, SwitcherScreen
from tui.app.store_watch import StoreWatch
from tui.app.tree_listing import TreeListing
from tui.app.widgets.history import History
from tui.app.widgets.keys_footer import KeysFooter
from tui.app.widgets.prompt import PromptArea
from tui.app.widgets.session_header import SessionHeader
from tui.app.widgets.session_tree import CHECKPOINT, MORE, SessionTree
from tui.app.widgets.side_pane import SidePane
from tui.app.widgets.transcript import Transcript
from tui.engine import Engine, ForktreeError, Role, Session
from tui.engine.config.settings import TREE_WIDTHS, load_settings
from tui.engine.tools import PermissionRequest, Verdict
from tui.engine.turns.runtime import (
    SessionRuntime,
)

if TYPE_CHECKING:
    from tui.app.widgets.message_view import MessageView


class MainScreen(Screen[None]):
    AUTO_FOCUS = "#prompt"  # focused once on mount (each focus change rebuilds the footer)
    BINDINGS = bindings("main")

    def __init__(self, engine: Engine, start: str | None = None) -> None:
        super().__init__()
        use_scrolling_compositor(self)  # a scroll repaints what moved, not the screen
        self.engine = engine
        self.start = start  # the session to open first (else the most recent)
        self.current: str | None = None
        self.live: MessageView | None = None
        self.marked: list[str] = []
        self.show_archived = False
        watcher = RunWatcher(self._run_started, self._run_failed, self._run_finished)
        self.events = LiveEvents(self)
        self.controller = SessionController(
            engine, self.events.show, self._approve, watcher, self._tool_problem
        )
        self.sessions = SessionActions(self)
        self.branches = BranchActions(self)
        self.agents = AgentActions(self)
        self.files = FileActions(self)
        self.agent_watch = AgentWatch(self)
        self.store_watch = StoreWatch(self)
        self.listing = TreeListing(self)

    def compose(self) -> ComposeResult:
        yield SessionHeader(id="header")
        with Horizontal(id="panes"):
            yield SessionTree(id="tree")
            yield Transcript(id="transcript")
            yield SidePane(id="side")
        yield PromptArea(id="prompt")
        yield KeysFooter()

    @property
    def session_tree(self) -> SessionTree:
        return self.query_one(SessionTree)

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    @property
    def side(self) -> SidePane:
        return self.query_one(SidePane)

    @property
    def prompt(self) -> PromptArea:
        return self.query_one(PromptArea)

    async def on_mount(self) -> None:
        self.side.diff_of = self.files.diff_of
        self.set_interval(0.12, self.session_tree.tick)
        self.agent_watch.start()
        self.store_watch.start()
        newest = self.listing.start()
        await self.open_session(self.start or newest)
        self.prompt.focus()
        ready = getattr(self.app, "main_screen_ready", None)  # keys typed on a saved frame
        if ready is not None:
            ready()
        for problem in self.engine.problems:
            self.notify(problem, title="Store problem", severity="warning", timeout=15)
        settings, problems = load_settings()
        if settings.tree_width:
            self.session_tree.styles.width = settings.tree_width
        for problem in problems:
            self.notify(problem, title="Settings", severity="warning", timeout=15)
        if settings.import_on_start:
            self.call_after_refresh(self.action_import_agents)  # after the first paint

    # -- opening and refreshing --------------------------------------------------------

    def refresh_tree(self) -> None:
        self.listing.refresh()

    def refresh_node(self, session_id: str) -> None:
        self.listing.refresh_node(session_id)

    def action_toggle_archived(self) -> None:
        """Archived sessions are hidden; this shows them (marked) or hides them again."""
        self.show_archived = not self.show_archived
        self.refresh_tree()
        self.notify(
            "Showing archived sessions" if self.show_archived else "Archived sessions hidden"
        )

    async def open_session(self, session_id: str) -> None:
        try:
            session = self.engine.session(session_id)
            messages = self.engine.transcript(session.id)
        except ForktreeError as exc:
            self.notify(str(exc), title="Cannot open session", severity="error")
            return
        self.current = session.id
        self.live = None
        with self.app.batch_update():  # one layout and paint for the whole switch
            self.show_header()
            self.session_tree.select_session(session.id)
            await self.transcript.show(messages, live=self.is_streaming(session.id))
            self.live = self.transcript.live
            for text in self.controller.queued(session.id):
                await self.transcript.add_queued(text)
            last = next((m for m in reversed(messages) if m.role is Role.ASSISTANT), None)
            await self.side.show(last, self._subagents())

    def _subagents(self) -> dict[str, Session]:
        """Subagent sessions of the open session's family, by the Task call they serve."""
        if self.current is None:
            return {}
        return {
            s.origin.source_id: s
            for s in self.engine.family(self.current)
            if s.origin.kind == "claude_code_subagent" and s.origin.source_id
        }

    def show_header(self, state: str | None = None) -> None:
        if self.current is None:
            return
        session = self.engine.session(self.current)
        if state is None and self.is_streaming(session.id):
            state = self.runtime_for(session.id).state.value
        self.query_one(SessionHeader).show(session, state)

    def action_search(self) -> None:
        from tui.app.screens.search import (
            SearchScreen,  # with the search engine: loaded when first used
        )

        async def jump(target: tuple[str, str] | None) -> None:
            if target is not None:
                await self.open_session(target[0])
                await self.transcript.reveal(target[1])

        self.app.push_screen(SearchScreen(self.engine), jump)

    @on(Tree.NodeSelected, "#tree")
    async def _tree_selected(self, event: Tree.NodeSelected[str]) -> None:
        data = event.node.data
        if data and data.startswith(CHECKPOINT):
            session_id, message_id = data.removeprefix(CHECKPOINT).split(":")
            name = dict(self.engine.session(session_id).checkpoints).get(message_id, "")
            fork = self.engine.restore(session_id, name)
            self.current = fork.id
            self.refresh_tree()
            await self.open_session(fork.id)
            self.notify(f"Restored checkpoint “{name}” as a new fork.")
        elif data and data not in (self.current, MORE):
            await self.open_session(data)

    @on(History.Focused)
    async def _message_focused(self, event: History.Focused) -> None:
        if self.live is not None and self.live.message.id == event.message.id:
            return  # the pane follows the streaming reply already
        message = event.message
        if self.current is not None:  # tool results may be saved on it since it settled
            with contextlib.suppress(ForktreeError):
                message = self.engine.stored(self.current, message.id)
        await self.side.show(message, self._subagents())

    # -- sending and streaming ---------------------------------------------------------

    def runtime_for(self, session_id: str) -> SessionRuntime:
        return self.controller.runtime_for(session_id)

    def _tool_problem(self, problem: str) -> None:
        self.notify(problem, title="Tools", severity="warning", timeout=15)

    async def on_unmount(self) -> None:
        self.store_watch.close()
        self.agent_watch.close()
        with contextlib.suppress(ForktreeError, OSError):  # a cache: never in the way out
            self.listing.save_at_exit()
        await self.controller.close()  # turns stop (kept as interrupted), MCP servers end

    async def _approve(self, request: PermissionRequest) -> Verdict:
        """Ask the user about one tool call; an abort meanwhile closes the question."""
        answer: asyncio.Future[Verdict] = asyncio.get_running_loop().create_future()
        title = self.engine.session(request.session_id).title
        screen = PermissionScreen(request, title)

        def answered(verdict: Verdict | None) -> None:
            if not answer.done() and verdict is not None:
                answer.set_result(verdict)

        self.app.push_screen(screen, answered)
        try:
            return await answer
        finally:
            if not answer.done() and screen.is_current:
                screen.dismiss(None)

    def is_streaming(self, session_id: str | None) -> bool:
        return self.controller.is_streaming(session_id)

    @on(PromptArea.Submitted)
    async def _submitted(self, event: PromptArea.Submitted) -> None:
        if self.branches.editing is not None:
            await self.branches.send_edit(event.text)
        elif self.current is not None:
            await self.send(event.text)

    async def send(self, text: str) -> None:
        """Send `text` in the open session (queued while a reply streams there)."""
        if self.current is None:
            return
        try:
            started = self.controller.send(self.current, text)
        except ForktreeError as exc:
            self.notify(str(exc), title="Not sent", severity="error")
            self.prompt.load_text(text)  # nothing is lost
            return
        if not started:
            await self.transcript.add_queued(text)

    @on(PromptArea.UpFromEmpty)
    def _up_from_prompt(self) -> None:
        self.transcript.focus_last()

    def _run_started(self, session_id: str) -> None:
        self.session_tree.busy.add(session_id)

    def _run_failed(self, session_id: str, error: str) -> None:
        self.notify(error, title="Not sent", severity="error")

    async def _run_finished(self, session_id: str) -> None:
        if not self.is_attached:  # the app is closing: nothing left to draw
            return
        self.session_tree.busy.discard(session_id)
        if session_id == self.current:
            for queued in self.transcript.query(".queued"):
                await queued.remove()
        self.refresh_tree()
        self.show_header()

    def action_abort(self) -> None:
        """Escape: cancel an edit, else stop the reply; queued prompts come back to the
        prompt box (after what it holds), never silently dropped."""
        if self.branches.cancel_edit() or self.current is None:
            return
        queued = self.controller.queued(self.current)
        if not self.controller.abort(self.current):
            return
        if queued:
            held = self.prompt.text.strip()
            self.prompt.load_text("\n\n".join([held, *queued] if held else queued))
            self.prompt.move_cursor(self.prompt.document.end)
            self.notify(
                f"Stopped; the partial reply is kept as interrupted. {len(queued)} queued "
                f"prompt{'s are' if len(queued) > 1 else ' is'} back in the prompt box."
            )
        else:
            self.notify("Stopped; the partial reply is kept as interrupted.")

    # -- actions -----------------------------------------------------------------------

    def action_new_session(self) -> None:
        self.sessions.new_session()

    def action_session_options(self) -> None:
        self.sessions.session_options()

    def action_metrics(self) -> None:
        self.sessions.metrics()

    def action_fork_with_options(self) -> None:
        self.branches.fork_with_options()

    def action_switch(self) -> None:
        async def chosen(session_id: str | None) -> None:
            if session_id:
                await self.open_session(session_id)
                self.prompt.focus()

        sessions = SessionSource.from_engine(self.engine, last=self.current)
        self.app.push_screen(SwitcherScreen(sessions), chosen)

    async def action_next_session(self, step: int) -> None:
        ids = self.session_tree.ordered_ids()
        if not ids:
            return
        index = ids.index(self.current) if self.current in ids else -step
        await self.open_session(ids[(index + step) % len(ids)])

    def action_toggle_tree(self) -> None:
        self.session_tree.display = not self.session_tree.display

    def action_tree_width(self, delta: int) -> None:
        tree = self.session_tree
        tree.display = True
        now = tree.outer_size.width or 30
        tree.styles.width = max(TREE_WIDTHS.start, min(TREE_WIDTHS.stop - 1, now + delta))

    def action_toggle_side(self) -> None:
        if self.app.has_class("-narrow"):
            self.side.set_class(not self.side.has_class("-shown"), "-shown")
            self.side.display = True
            return
        self.side.display = not self.side.display

    # -- actions that live with what they act on (tui/app/actions/) ----------------------

    async def action_fork(self) -> None:
        await self.branches.fork()

    def action_edit(self) -> None:
        self.branches.edit()

    async def action_revert(self) -> None:
        await self.branches.revert()

    def action_compare(self) -> None:
        self.branches.compare()

    def action_fanout(self) -> None:
        self.branches.fanout()

    def action_winner(self) -> None:
        self.branches.winner()

    def action_mark(self) -> None:
        self.branches.mark()

    def action_checkpoint(self) -> None:
        self.branches.checkpoint()

    def action_family_graph(self) -> None:
        self.branches.family_graph()

    def action_rename(self) -> None:
        self.sessions.rename()

    async def action_archive(self) -> None:
        await self.sessions.archive()

    def action_delete(self) -> None:
        self.sessions.delete()

    def action_export(self) -> None:
        self.sessions.export()

    def action_pick_model(self) -> None:
        self.sessions.pick_model()

    def action_copy_message(self) -> None:
        self.sessions.copy_message()

    def action_copy_branch(self) -> None:
        self.sessions.copy_branch()

    async def action_compact(self) -> None:
        await self.sessions.compact()

    def action_import_agents(self) -> None:
        self.agents.import_agents()

    def action_open_in_agent(self) -> None:
        self.agents.open_in_agent()
