"""Short titles made by the session's own model, after its first reply (opt-in:
`model_titles = true` in the settings). The title from the first prompt stays when
the model cannot be asked, says nothing useful, or the user renamed the session."""

from __future__ import annotations

from contextlib import aclosing

from tui.engine.engine import TITLE_CHARS, Engine, title_from_prompt
from tui.engine.errors import ForktreeError
from tui.engine.providers import ProviderRequest
from tui.engine.sessions.events import Failed, TextDelta
from tui.engine.sessions.model import Message, Role, TextPart, now

ASK = (
    "Write a title of 3 to 7 words for the conversation below, in its language. "
    "Reply with the title only: no quotes, no final full stop."
)
CONTEXT_CHARS = 2000
QUOTES = "\"'“”‘’`*#"


def clean_title(raw: str) -> str | None:
    """The first line of a model's answer as a title, or None when it is unusable."""
    line = next((ln.strip() for ln in raw.splitlines() if ln.strip()), "")
    if line.lower().startswith("title:"):
        line = line[6:]
    line = line.strip().strip(QUOTES).strip().rstrip(".").strip(QUOTES).strip()
    if not line or len(line) > TITLE_CHARS or not any(ch.isalnum() for ch in line):
        return None
    return line


async def model_title(engine: Engine, session_id: str) -> str | None:
    """Ask the session's model for a title and apply it, unless the user renamed the
    session meanwhile. The new title, or None when nothing changed."""
    session = engine.session(session_id)
    try:
        provider = engine.providers(session.provider)
    except ForktreeError:
        return None
    if not provider.capabilities.titles:
        return None
    transcript = engine.transcript(session.id)
    prompt = next((m for m in transcript if m.role is Role.USER), None)
    reply = next((m for m in transcript if m.role is Role.ASSISTANT and m.text), None)
    if prompt is None or reply is None or session.title != title_from_prompt(prompt.text):
        return None
    context = f"User: {prompt.text[:CONTEXT_CHARS]}\n\nAssistant: {reply.text[:CONTEXT_CHARS]}"
    ask = Message("title-request", None, Role.USER, (TextPart(context),), now())
    request = ProviderRequest((ask,), model=session.model, system_prompt=ASK, max_tokens=24)
    pieces: list[str] = []
    try:
        async with aclosing(provider.stream(request)) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    pieces.append(event.text)
                elif isinstance(event, Failed):
                    return None
    except ForktreeError:
        return None
    title = clean_title("".join(pieces))
    if title is None or engine.session(session.id).title != session.title:
        return None  # nothing usable, or the user renamed it while the model thought
    engine.rename(session.id, title)
    return title
