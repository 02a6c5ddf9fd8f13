"""A live session: a state machine over turns, with a queue, abort, budget and turn limits.

    idle -> initializing -> ready <-> processing -> completed | error | interrupted
                                          |  \\-> waiting_tool, compacting (and back)
    completed | error | interrupted -> processing (next queued prompt) or ready

Every change is an event for the UI and CLI; every turn ends with a TurnResult.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass

from tui.engine.engine import Engine
from tui.engine.errors import ForktreeError, InvalidInputError
from tui.engine.providers.pricing import estimate_cost
from tui.engine.sessions.events import EngineEvent, TurnFinished
from tui.engine.sessions.model import Message, MessageStatus, Role
from tui.engine.sessions.turn_record import TurnRecord
from tui.engine.turns.compaction import compact, needs_compaction
from tui.engine.turns.states import TRANSITIONS, RunState, StateChanged, StateError
from tui.engine.turns.streaming import check_prompt
from tui.engine.turns.titles import model_title
from tui.engine.turns.tool_step import ToolSetup, ToolStep
from tui.engine.util.humanize import money


@dataclass(frozen=True, slots=True)
class RunSettings:
    """Per-session limits and sampling settings (provider and model live on the session)."""

    max_turns: int | None = None
    max_budget_usd: float | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    auto_compact: bool = True
    model_titles: bool = False  # after the first reply, ask the model for a short title


@dataclass(frozen=True, slots=True)
class TurnResult:
    session_id: str
    outcome: str  # success | error | interrupted
    text: str
    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None
    duration_s: float
    turns: int
    error: str | None = None
    reply: Message | None = None
    limit: str | None = None  # max_turns | max_budget_usd | max_rounds, when one ended it
    tool_calls: int = 0

    @property
    def subtype(self) -> str:
        """success | error | interrupted, or error_<limit> when a limit ended the turn."""
        return f"error_{self.limit}" if self.limit else self.outcome

    def to_dict(self) -> dict[str, object]:
        """The turn's result, as `forktree send --json` prints it."""
        return {
            "type": "result",
            "subtype": self.subtype,
            "is_error": self.outcome != "success",
            "session_id": self.session_id,
            "result": self.text,
            "error": self.error,
            "cost_usd": self.cost_usd,
            "duration_ms": round(self.duration_s * 1000),
            "num_turns": self.turns,
            "tool_calls": self.tool_calls,
            "usage": {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens},
        }


@dataclass(frozen=True, slots=True)
class SessionRenamed:
    """The session's model gave it a title after its first reply."""

    session_id: str
    title: str


RuntimeEvent = StateChanged | TurnResult | SessionRenamed | EngineEvent
Listener = Callable[[RuntimeEvent], Awaitable[None]]


async def ignore_events(event: RuntimeEvent) -> None:
    return None


class SessionRuntime:
    """Runs the turns of one session in order; `abort()` stops the current one at once.
    With `tools`, the model may call them: each prompt loops through tool rounds until
    the model stops asking, or a limit is reached."""

    def __init__(
        self,
        engine: Engine,
        session_id: str,
        settings: RunSettings | None = None,
        listener: Listener = ignore_events,
        tools: ToolSetup | None = None,
    ) -> None:
        self.engine = engine
        self.session_id = engine.session(session_id).id
        self.settings = settings or RunSettings()
        self.listener = listener
        self.tools = tools
        self.tool_step = (
            ToolStep(engine, self.session_id, tools, self._emit, self._set) if tools else None
        )
        self._stopped: str | None = None
        self._limit: str | None = None  # which limit ended the turn: max_turns, …
        self._requests = 0  # model requests of the prompt being answered
        self._base_cost = 0.0  # the session's spend when that prompt came
        self.state = RunState.IDLE
        self.queue: deque[str] = deque()
        self.results: list[TurnResult] = []
        self._turn: asyncio.Task[Message | None] | None = None
        self._aborting = False

    async def _set(self, new: RunState, reason: str = "") -> None:
        if new not in TRANSITIONS[self.state]:
            raise StateError(f"session runtime cannot go from {self.state} to {new}")
        old, self.state = self.state, new
        await self.listener(StateChanged(self.session_id, old, new, reason))

    async def _emit(self, event: RuntimeEvent) -> None:
        await self.listener(event)

    @property
    def busy(self) -> bool:
        return self.state in (RunState.PROCESSING, RunState.WAITING_TOOL, RunState.COMPACTING)

    async def start(self) -> None:
        """Check the session's provider can be built: idle -> initializing -> ready|error."""
        await self._set(RunState.INITIALIZING)
        try:
            self.engine.providers(self.engine.session(self.session_id).provider)
        except ForktreeError as exc:
            await self._set(RunState.ERROR, str(exc))
            raise
        await self._set(RunState.READY)

    def submit(self, text: str) -> None:
        """Queue a prompt; it is sent after the ones before it."""
        self.queue.append(check_prompt(text))

    async def run(self) -> list[TurnResult]:
        """Send every queued prompt in order; returns the results of this run."""
        if self.state in (RunState.IDLE, RunState.ERROR) and not self.results:
            await self.start()
        done: list[TurnResult] = []
        while self.queue:
            text = self.queue.popleft()
            result = await self._one_turn(text)
            done.append(result)
            if result.outcome == "success" and self.settings.model_titles:
                await self._retitle()
            if result.outcome != "success" and self._aborting:
                break
        self._aborting = False
        if self.state is not RunState.READY:
            await self._set(RunState.READY)
        return done

    async def send(self, text: str) -> TurnResult:
        self.submit(text)
        results = await self.run()
        return results[-1]

    async def _retitle(self) -> None:
        """After the first exchange, a title from the model (the prompt's stays on failure)."""
        users = sum(1 for m in self.engine.transcript(self.session_id) if m.role is Role.USER)
        if users == 1 and (title := await model_title(self.engine, self.session_id)):
            await self.listener(SessionRenamed(self.session_id, title))

    def abort(self, clear_queue: bool = True) -> None:
        """Stop the reply streaming now (kept as interrupted); drop queued prompts."""
        if clear_queue:
            self.queue.clear()
        if self._turn is not None and not self._turn.done():
            self._aborting = True
            self._turn.cancel()

    def _turn_limit(self) -> str | None:
        """Max turns bounds the model requests of one prompt (its tool rounds + 1)."""
        limit = self.settings.max_turns
        if limit is None or self._requests < limit:
            return None
        self._limit = "max_turns"
        return f"max turns reached ({self._requests} of {limit}); send again or raise the limit"

    def _limit_problem(self, text: str) -> str | None:
        session = self.engine.session(self.session_id)
        s = self.settings
        if problem := self._turn_limit():
            return problem
        if s.max_budget_usd is not None:
            spent = session.totals.cost_usd - self._base_cost  # by this prompt's requests
            self._limit = "max_budget_usd"
            if spent >= s.max_budget_usd:
                return f"budget reached: {money(spent)} spent of {money(s.max_budget_usd)}"
            context = sum(len(m.text) for m in self.engine.transcript(session.id)) + len(text)
            ceiling = estimate_cost(context, s.max_tokens or 4096, session.model, session.provider)
            if ceiling is not None and spent + ceiling > s.max_budget_usd:
                return (
                    f"the next reply could cost up to {money(ceiling)}, past the budget "
                    f"({money(spent)} spent of {money(s.max_budget_usd)})"
                )
            self._limit = None
        return None

    async def _one_turn(self, text: str) -> TurnResult:
        started = time.monotonic()
        self._limit = None
        self._requests = 0
        self._base_cost = self.engine.session(self.session_id).totals.cost_usd
        problem = self._limit_problem(text)
        await self._set(RunState.PROCESSING)
        if problem:
            self.queue.clear()
            return await self._finish(started, None, "error", problem)
        if self.settings.auto_compact and needs_compaction(self.engine, self.session_id, text):
            await self._set(RunState.COMPACTING, "the context is nearly full")
            try:
                await compact(self.engine, self.session_id)
            except ForktreeError as exc:
                return await self._finish(started, None, "error", str(exc))
            await self._set(RunState.PROCESSING)
        self._stopped = None
        self._turn = asyncio.ensure_future(self._agent(text))
        try:
            reply = await self._turn
        except asyncio.CancelledError:
            if not self._aborting:
                raise
            reply = self.engine.transcript(self.session_id)[-1]
            return await self._finish(started, reply, "interrupted", reply.error or "stopped")
        except (ForktreeError, InvalidInputError) as exc:
            return await self._finish(started, None, "error", str(exc))
        finally:
            self._turn = None
        if reply is None:
            return await self._finish(started, None, "error", "no reply")
        if self._stopped:
            return await self._finish(
                started, reply, "error", f"stopped: {self._stopped}; send a message to go on"
            )
        outcome = {MessageStatus.COMPLETE: "success", MessageStatus.INTERRUPTED: "interrupted"}.get(
            reply.status, "error"
        )
        return await self._finish(started, reply, outcome, reply.error)

    async def _agent(self, text: str) -> Message | None:
        """The reply to `text`, after as many tool rounds as the model asks for."""
        step, tools = self.tool_step, self.tools
        if tools is not None:
            await tools.prepare()
        specs = tools.registry.specs() if tools else ()
        max_tokens, temperature = self.settings.max_tokens, self.settings.temperature
        self._requests += 1
        reply = await self._pump(
            self.engine.stream(
                self.session_id, text, max_tokens=max_tokens, temperature=temperature, tools=specs
            )
        )
        rounds = 0
        while (
            step is not None
            and reply is not None
            and reply.status is MessageStatus.COMPLETE
            and reply.pending_calls()
        ):
            if rounds >= step.setup.max_rounds:
                self._stopped = f"the limit of {step.setup.max_rounds} tool rounds was reached"
                self._limit = "max_rounds"
            else:
                self._stopped = self._turn_limit()
                if not self._stopped and (budget := self._limit_problem("")):
                    self._stopped = budget
            if self._stopped:
                return await step.stop(reply, f"not run: {self._stopped}")
            reply = await step.run(reply)
            rounds += 1
            self._requests += 1
            reply = await self._pump(
                self.engine.continue_after_tools(
                    self.session_id, max_tokens=max_tokens, temperature=temperature, tools=specs
                )
            )
        return reply

    async def _pump(self, stream: AsyncGenerator[EngineEvent, None]) -> Message | None:
        """Forward one reply's events to the listener; the final reply."""
        final: Message | None = None
        async with aclosing(stream) as events:
            listener = None if self.listener is ignore_events else self.listener
            async for event in events:
                if type(event) is TurnFinished:
                    final = event.reply
                if listener is not None:  # no per-token call when nobody listens
                    await listener(event)
        return final

    def _replies_since_prompt(self) -> list[Message]:
        """The replies of the turn that is ending (every request since the prompt)."""
        replies: list[Message] = []
        for message in reversed(self.engine.transcript(self.session_id)):
            if message.role is Role.USER:
                break
            if message.role is Role.ASSISTANT:
                replies.append(message)
        return replies

    async def _finish(
        self, started: float, reply: Message | None, outcome: str, error: str | None
    ) -> TurnResult:
        replies = self._replies_since_prompt()
        costs = [m.usage.cost_usd for m in replies if m.usage.cost_usd is not None]
        usage_in = [m.usage.input_tokens for m in replies if m.usage.input_tokens is not None]
        usage_out = [m.usage.output_tokens for m in replies if m.usage.output_tokens is not None]
        limit = self._limit if outcome == "error" else None
        duration = time.monotonic() - started
        calls = sum(1 for m in replies for p in m.parts if p.kind == "tool_use")
        if reply is not None:
            record = TurnRecord(
                subtype=f"error_{limit}" if limit else outcome,
                duration_s=duration,
                turns=len(replies),
                input_tokens=sum(usage_in),
                output_tokens=sum(usage_out),
                cost_usd=sum(costs) if costs else None,
                tool_calls=calls,
            )
            reply = self.engine.record_turn(self.session_id, reply.id, record)
        result = TurnResult(
            session_id=self.session_id,
            outcome=outcome,
            text=reply.text if reply else "",
            input_tokens=sum(usage_in) if usage_in else None,
            output_tokens=sum(usage_out) if usage_out else None,
            cost_usd=sum(costs) if costs else None,
            duration_s=duration,
            turns=len(replies),
            error=error,
            reply=reply,
            limit=limit,
            tool_calls=calls,
        )
        self.results.append(result)
        state = {"success": RunState.COMPLETED, "interrupted": RunState.INTERRUPTED}.get(
            outcome, RunState.ERROR
        )
        await self._set(state, error or "")
        await self.listener(result)
        return result
