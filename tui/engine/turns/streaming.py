"""Sending a prompt and streaming the reply into the store, saved as it grows."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Callable, Sequence
from contextlib import aclosing
from dataclasses import replace

from tui.engine.errors import ForktreeError, InvalidInputError
from tui.engine.providers import Provider, ProviderRequest
from tui.engine.providers.pricing import with_cost
from tui.engine.sessions.events import (
    EngineEvent,
    Failed,
    ReplyStarted,
    ReplyUpdated,
    SessionBound,
    TextDelta,
    TurnFinished,
    TurnStarted,
)
from tui.engine.sessions.model import (
    FileChangePart,
    Message,
    MessageStatus,
    Role,
    Session,
    SessionStatus,
    TextPart,
    ToolResultPart,
    Usage,
)
from tui.engine.sessions.writer import SessionWriter
from tui.engine.store import SessionStore
from tui.engine.tools.base import ToolSpec
from tui.engine.turns.reply import ReplyBuilder

MAX_PROMPT_CHARS = 1_000_000


UNRUN = "not run: the turn ended before this tool call was carried out"


def model_context(transcript: list[Message]) -> tuple[Message, ...]:
    """What the model is sent: everything from the latest compact summary on, with an
    error result for any tool call left without one (an abort or a crash mid-turn)."""
    start = max((i for i, m in enumerate(transcript) if m.compact), default=0)
    return tuple(_answered(m) for m in transcript[start:])


def _answered(message: Message) -> Message:
    if message.role is not Role.ASSISTANT or not message.parts:
        return message
    pending = message.pending_calls()
    if not pending:
        return message
    results = tuple(ToolResultPart(c.tool_id, UNRUN, is_error=True) for c in pending)
    return message.with_changes(parts=(*message.parts, *results))


def check_prompt(text: str) -> str:
    """The prompt, or a clear InvalidInputError when it is empty or too large."""
    if not text or not text.strip():
        raise InvalidInputError("the prompt is empty")
    if len(text) > MAX_PROMPT_CHARS:
        raise InvalidInputError(
            f"the prompt is {len(text):,} characters; the limit is {MAX_PROMPT_CHARS:,}"
        )
    return text


ProviderFactory = Callable[[str], Provider]
AFTER_REPLY = {
    MessageStatus.ERROR: SessionStatus.ERROR,
    MessageStatus.INTERRUPTED: SessionStatus.INTERRUPTED,
}


class PartialSaver:
    """Saves a streaming reply at least every `interval` seconds of wall time while it
    changes, from its own timer (the text already shown is on disk within the interval,
    whether the stream is busy or quiet). The stream only sets `dirty`: a token costs
    no clock read and no call."""

    def __init__(
        self, store: SessionStore, root_id: str, builder: ReplyBuilder, interval: float
    ) -> None:
        self.store, self.root_id, self.builder = store, root_id, builder
        self.interval = interval
        self.saved_at = time.monotonic()
        self.dirty = False

    def save(self) -> None:
        self.store.put_messages(self.root_id, [self.builder.build(MessageStatus.STREAMING)])
        self.saved_at = time.monotonic()
        self.dirty = False

    async def run(self) -> None:
        while True:
            await asyncio.sleep(max(0.01, self.interval - (time.monotonic() - self.saved_at)))
            if self.dirty and time.monotonic() - self.saved_at >= self.interval:
                with contextlib.suppress(ForktreeError, OSError):  # the next save reports it
                    self.save()


class Streamer:
    """Turns: the user message, then the streamed reply, saved at least every
    `flush_interval` seconds and at the end, through the writer it is given."""

    def __init__(
        self, writer: SessionWriter, providers: ProviderFactory, flush_interval: float = 0.5
    ) -> None:
        self.writer = writer
        self.store = writer.store
        self.providers = providers
        self.flush_interval = flush_interval

    async def stream(
        self,
        session_id: str,
        text: str,
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        tools: tuple[ToolSpec, ...] = (),
    ) -> AsyncGenerator[EngineEvent, None]:
        """Send `text` and stream the reply. The partial reply is saved at least every
        `flush_interval` seconds and at the end; cancelling keeps it as interrupted.
        `tools` are offered to providers that can call them."""
        check_prompt(text)
        session = self.writer.session(session_id)
        provider = self.providers(session.provider)
        if (
            provider.capabilities.resumes_from_end_only
            and session.head_id
            and session.origin.kind == "claude_code"
            and not session.origin.source_id
            and session.origin.source_path
        ):
            session = self._native_fork(session)
        elif (
            provider.name == "opencode"
            and session.head_id
            and session.origin.kind == "opencode"
            and not session.origin.source_id
            and session.origin.source_path
        ):
            session = await self._opencode_fork(session, provider)
        if (
            provider.capabilities.resumes_from_end_only
            and session.head_id
            and session.origin.kind != "native"
            and not session.origin.source_id
        ):
            raise InvalidInputError(
                f"{provider.name} can only continue a session from its end; this branch is "
                "a fork it cannot make unattended, starts earlier, or is a subagent's. Pick "
                "another model for it with ctrl+o (or `forktree fork --model`) to continue "
                "it here"
                + (
                    f"; {provider.capabilities.fork_hint}."
                    if provider.capabilities.fork_hint
                    else "."
                )
            )
        with self.store.transaction():
            session = self.writer.session(session.id)
            user = self.writer.child(session, Role.USER, (TextPart(text),), None, Usage())
            self.store.put_messages(session.root_id, [user])
            session = self.writer.move_head(session, user, retitle=text)
            session, reply = self._open_reply(session, provider.default_model)
        self.writer.written(session.root_id, [user])
        yield TurnStarted(session.id, user, reply)
        async with aclosing(
            self._stream_reply(session, reply, provider, max_tokens, temperature, tools)
        ) as events:  # closed at once when the caller stops: the reply is saved now
            async for event in events:
                yield event

    async def continue_after_tools(
        self,
        session_id: str,
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        tools: tuple[ToolSpec, ...] = (),
    ) -> AsyncGenerator[EngineEvent, None]:
        """Stream the model's next reply once the head's tool calls have their results."""
        session = self.writer.session(session_id)
        provider = self.providers(session.provider)
        with self.store.transaction():
            session, reply = self._open_reply(
                self.writer.session(session.id), provider.default_model
            )
        yield ReplyStarted(session.id, reply)
        async with aclosing(
            self._stream_reply(session, reply, provider, max_tokens, temperature, tools)
        ) as events:  # closed at once when the caller stops: the reply is saved now
            async for event in events:
                yield event

    def _open_reply(self, session: Session, default_model: str) -> tuple[Session, Message]:
        """An empty streaming assistant reply under the head (inside a transaction)."""
        reply = self.writer.child(
            session,
            Role.ASSISTANT,
            (),
            session.model or default_model,
            Usage(),
            status=MessageStatus.STREAMING,
        )
        self.store.put_messages(session.root_id, [reply])
        return self.writer.move_head(session, reply, status=SessionStatus.BUSY), reply

    async def _stream_reply(
        self,
        session: Session,
        reply: Message,
        provider: Provider,
        max_tokens: int | None,
        temperature: float | None,
        tools: tuple[ToolSpec, ...],
    ) -> AsyncGenerator[EngineEvent, None]:
        started = time.monotonic()
        history = model_context(self.writer.transcript(session.id)[:-1])
        capabilities = provider.capabilities
        resume = (
            session.origin.source_id
            if capabilities.native_sessions
            and session.origin.kind in ("claude_code", "codex", "opencode", "native")
            else None
        )
        request = ProviderRequest(
            messages=history,
            model=session.model,
            system_prompt=session.system_prompt,
            max_tokens=max_tokens,
            temperature=temperature,
            resume_id=resume,
            cwd=session.origin.cwd,
            fork=bool(session.origin.fork_pending),
            tools=tools if capabilities.tools else (),
        )
        builder = ReplyBuilder(reply)
        status = MessageStatus.INTERRUPTED
        error: str | None = "the reply was stopped"
        saver = PartialSaver(self.store, session.root_id, builder, self.flush_interval)
        saving = asyncio.ensure_future(saver.run())  # saves on time, whether or not events come
        try:
            async with aclosing(provider.stream(request)) as events:
                async for event in events:
                    # one type() call and `is` tests: the hot loop (mypy does not narrow
                    # through `kind`, hence the ignores below)
                    kind = type(event)
                    if kind is TextDelta:  # nearly every event: the fast path first
                        builder.add_text(event.text)  # type: ignore[union-attr]
                    elif kind is SessionBound:
                        session = self._bind(session, event.external_id)  # type: ignore[union-attr]
                        continue
                    elif kind is Failed:
                        # a reply that had begun is kept as interrupted; else it is an error
                        partial = builder.chars > 0 or builder.has_parts
                        status = MessageStatus.INTERRUPTED if partial else MessageStatus.ERROR
                        error = event.error  # type: ignore[union-attr]
                        break
                    else:
                        builder.apply(event)
                    saver.dirty = True
                    yield ReplyUpdated(session.id, reply, event)
                else:
                    status, error = MessageStatus.COMPLETE, None
        finally:
            saving.cancel()
            if capabilities.priced:
                builder.usage = with_cost(builder.usage, reply.model, session.provider)
            final = builder.build(status, error)
            self._finish(session, final)
        yield TurnFinished(session.id, final, time.monotonic() - started)

    def record_tool_result(
        self,
        session_id: str,
        message_id: str,
        result: ToolResultPart,
        changes: Sequence[FileChangePart] = (),
    ) -> Message:
        """Add a tool's result, and the files it changed, to the message that called it
        (saved at once)."""
        session = self.writer.session(session_id)
        with self.store.transaction():
            message = self.store.get_message(session.root_id, message_id)
            message = message.with_changes(parts=(*message.parts, result, *changes))
            self.store.put_messages(session.root_id, [message])
        self.writer.written(session.root_id, [message])
        return message

    def _native_fork(self, session: Session) -> Session:
        """A fork of an imported Claude Code session before its end: write it a Claude
        Code transcript of its own (up to its head), so Claude Code goes on from there."""
        from pathlib import Path

        from tui.engine.importers.claude_code_fork import remember, write_fork

        assert session.head_id and session.origin.source_path
        fork = write_fork(Path(session.origin.source_path), session.head_id, session.title)
        remember(self.store.home, fork, session.id)
        with self.store.transaction():
            current = self.store.get_session(session.id)
            origin = replace(
                current.origin, source_id=fork.session_id, source_path=str(fork.path),
                fork_pending=None,
            )  # fmt: skip
            updated = current.with_changes(origin=origin)
            self.store.put_session(updated)
        return updated

    async def _opencode_fork(self, session: Session, provider: Provider) -> Session:
        """A fork of an imported OpenCode session before its end: OpenCode's own fork
        (its server copies the messages up to the fork point into a new session)."""
        from pathlib import Path

        from tui.engine.importers.opencode import fork_point
        from tui.engine.providers.opencode_server import OpenCodeForkError, fork_at

        assert session.head_id and session.origin.source_path
        try:
            found = fork_point(Path(session.origin.source_path), session.head_id)
        except (OSError, ValueError) as exc:
            raise InvalidInputError(f"cannot read OpenCode's sessions to fork: {exc}") from None
        if found is None:
            raise InvalidInputError(
                "this fork point is not in OpenCode's own sessions yet: import them again "
                "(`forktree import opencode`) and fork there"
            )
        oc_session, after = found
        if after is None:  # the session's last message: `opencode run --fork` does it
            return self._pend_head_fork(session, oc_session)
        binary = getattr(provider, "binary", "opencode")
        try:
            new_id = await fork_at(binary, session.origin.cwd, oc_session, after)
        except OpenCodeForkError as exc:
            raise InvalidInputError(f"OpenCode could not fork there: {exc}") from None
        return self._bind(session, new_id)

    def _pend_head_fork(self, session: Session, external_id: str) -> Session:
        """The next turn forks the agent's session `external_id` at its end."""
        with self.store.transaction():
            current = self.store.get_session(session.id)
            origin = replace(current.origin, source_id=external_id, fork_pending=True)
            updated = current.with_changes(origin=origin)
            self.store.put_session(updated)
        return updated

    def _bind(self, session: Session, external_id: str) -> Session:
        """Remember the provider's own session id (a fork gets a new one)."""
        with self.store.transaction():
            current = self.store.get_session(session.id)
            origin = replace(current.origin, source_id=external_id, fork_pending=None)
            self.store.put_session(current.with_changes(origin=origin))
        return session.with_changes(origin=origin)

    def _finish(self, session: Session, reply: Message) -> None:
        after = AFTER_REPLY.get(reply.status, SessionStatus.IDLE)  # outlives the process
        with self.store.transaction():
            self.store.put_messages(session.root_id, [reply])
            current = self.store.get_session(session.id)
            if current.head_id == reply.id:
                self.writer.move_head(current, reply, status=after)
            elif current.status is SessionStatus.BUSY:
                self.store.put_session(current.with_changes(status=after))
        self.writer.written(session.root_id, [reply])

    async def send(self, session_id: str, text: str) -> Message:
        """Send `text` and wait for the whole reply."""
        final: Message | None = None
        async for event in self.stream(session_id, text):
            if isinstance(event, TurnFinished):
                final = event.reply
        assert final is not None
        return final
