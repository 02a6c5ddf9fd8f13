"""Compaction: summarise a long conversation into one compact summary message.

The summary is appended at the head, so the whole history stays in the transcript and
browsable; from then on the model is sent only the summary and what follows it
(`streaming.model_context`). A session nearing its model's context window is compacted
before the next turn."""

from __future__ import annotations

from contextlib import aclosing

from tui.engine.engine import Engine
from tui.engine.errors import InvalidInputError
from tui.engine.providers import ProviderRequest
from tui.engine.sessions.events import Failed, TextDelta
from tui.engine.sessions.model import Message, Role, SessionStatus, TextPart, Usage
from tui.engine.turns.streaming import model_context

CONTEXT_WINDOWS = {
    "claude": 200_000,
    "gpt-4.1": 1_000_000,
    "gpt-5": 400_000,
    "gpt-4o": 128_000,
    "o3": 200_000,
    "o4": 200_000,
}
DEFAULT_WINDOW = 128_000
THRESHOLD = 0.8
INSTRUCTION = (
    "Summarise the conversation so far so that it can continue from the summary alone: "
    "the goal, decisions made and why, facts and file names that matter, open questions "
    "and the next step. Be complete but brief; use Markdown bullet points."
)


def context_window(model: str | None) -> int:
    name = model or ""
    return next(
        (size for prefix, size in CONTEXT_WINDOWS.items() if name.startswith(prefix)),
        DEFAULT_WINDOW,
    )


def estimated_tokens(messages: tuple[Message, ...] | list[Message]) -> int:
    """About four characters a token: enough to decide when to compact."""
    return sum(len(m.text) + len(m.thinking) for m in messages) // 4


def needs_compaction(engine: Engine, session_id: str, incoming: str = "") -> bool:
    session = engine.session(session_id)
    context = model_context(engine.transcript(session.id))
    if len(context) < 4:
        return False
    used = estimated_tokens(context) + len(incoming) // 4
    return used >= THRESHOLD * context_window(session.model)


async def compact(engine: Engine, session_id: str) -> Message:
    """Ask the session's model for a summary and append it as the compact summary."""
    session = engine.session(session_id)
    context = model_context(engine.transcript(session.id))
    if len(context) < 2:
        raise InvalidInputError("nothing to compact yet")
    ask = Message("compact-request", context[-1].id, Role.USER, (TextPart(INSTRUCTION),), 0.0)
    provider = engine.providers(session.provider)
    request = ProviderRequest(
        messages=(*context, ask), model=session.model, system_prompt=session.system_prompt
    )
    engine.store.put_session(session.with_changes(status=SessionStatus.COMPACTING))
    pieces: list[str] = []
    try:
        async with aclosing(provider.stream(request)) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    pieces.append(event.text)
                elif isinstance(event, Failed):
                    raise InvalidInputError(f"compaction failed: {event.error}")
    finally:
        current = engine.session(session.id)
        engine.store.put_session(current.with_changes(status=SessionStatus.IDLE))
    summary = "".join(pieces).strip()
    if not summary:
        raise InvalidInputError("compaction failed: the model returned no summary")
    skipped = len(context)
    text = f"**Compact summary** of the {skipped} messages above\n\n{summary}"
    message = engine.append(session.id, Role.SYSTEM, text, usage=Usage())
    stored = message.with_changes(compact=True)
    with engine.store.transaction():
        engine.store.put_messages(session.root_id, [stored])
    return stored
