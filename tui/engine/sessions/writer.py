"""The primitives every session write is made of, shared by the engine's parts.

Branching, streaming and the facade are given one `SessionWriter`: it resolves ids,
reads transcripts (recovering replies a dead process left streaming), makes the next
message under a head and moves heads. Callers hold `store.transaction()` around writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from tui.engine.errors import InvalidInputError
from tui.engine.sessions import tree
from tui.engine.sessions.model import (
    Message,
    MessageStatus,
    Part,
    Role,
    Session,
    SessionStatus,
    Totals,
    Usage,
    new_id,
    now,
    pid_alive,
)
from tui.engine.store import NotFoundError, SessionStore
from tui.engine.store.errors import resolve_unique

DEFAULT_TITLE = "New session"
TITLE_CHARS = 60

Written = Callable[[str, list[Message]], None]


def title_from_prompt(prompt: str) -> str:
    """A readable title: the prompt's first non-empty line, cut at a word near 60 chars."""
    line = next((ln.strip() for ln in prompt.splitlines() if ln.strip()), "")
    line = "".join(ch for ch in line if ch.isprintable())
    if len(line) <= TITLE_CHARS:
        return line or DEFAULT_TITLE
    cut = line[:TITLE_CHARS].rsplit(" ", 1)[0]
    return (cut if len(cut) > TITLE_CHARS // 2 else line[:TITLE_CHARS]) + "…"


def clean_title(title: str) -> str:
    """One line of printable text, at most 200 characters; empty is an error."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in title).split())
    if not cleaned:
        raise InvalidInputError("the title is empty")
    return cleaned[:200]


def _ignore_written(root_id: str, messages: list[Message]) -> None:
    return None


class SessionWriter:
    """Reads and writes sessions over a store; `on_written` hears of every message saved
    for good (the search index listens)."""

    def __init__(self, store: SessionStore, on_written: Written = _ignore_written) -> None:
        self.store = store
        self.on_written = on_written

    # -- reading -----------------------------------------------------------------------

    def session(self, ref: str) -> Session:
        """A session by full id or unique prefix."""
        ref = ref.strip()
        try:
            return self.store.get_session(ref)
        except NotFoundError:
            pass
        if not ref:
            raise NotFoundError("no session id given")
        found: Session = resolve_unique(
            self.store.match_sessions(ref), ref, "session", lambda s: f"{s.short_id} ({s.title})"
        )
        return found

    def lookup(self, session: Session) -> tree.Lookup:
        """Messages of the session's family, for one walk (read it again after writes)."""
        root = session.root_id
        walk = getattr(self.store, "family_lookup", None)  # the embedded store: one check
        if walk is not None:
            return walk(root)
        return lambda mid: self.store.get_message(root, mid)

    def transcript(self, session_id: str) -> list[Message]:
        """The session's messages, root first; a reply left streaming by a dead
        process is shown (and saved) as interrupted."""
        session = self.session(session_id)
        messages = tree.ancestry(session.head_id, self.lookup(session))
        if messages and self.is_orphaned(messages[-1]):
            messages[-1] = self.recover(session, messages[-1])
        return messages

    def message(self, session_id: str, ref: str) -> Message:
        """A message of the session's transcript by full id or unique prefix."""
        ref = ref.strip().lower()
        messages = self.transcript(session_id)
        found: Message = resolve_unique(
            [m for m in messages if m.id.startswith(ref)] if ref else [],
            ref,
            "message",
            lambda m: f"{m.id[:8]} ({m.role.value})",
        )
        return found

    def head(self, session: Session) -> Message | None:
        return self.store.get_message(session.root_id, session.head_id) if session.head_id else None

    @staticmethod
    def is_orphaned(message: Message) -> bool:
        return message.status is MessageStatus.STREAMING and not (
            message.writer_pid == os.getpid() or pid_alive(message.writer_pid)
        )

    def recover(self, session: Session, message: Message) -> Message:
        fixed = message.with_changes(
            status=MessageStatus.INTERRUPTED,
            writer_pid=None,
            error=message.error or "the process streaming it stopped",
        )
        with self.store.transaction():
            self.store.put_messages(session.root_id, [fixed])
            current = self.store.get_session(session.id)
            if current.status is SessionStatus.BUSY:
                self.store.put_session(current.with_changes(status=SessionStatus.INTERRUPTED))
        return fixed

    # -- writing (inside a transaction) ------------------------------------------------

    def child(
        self,
        session: Session,
        role: Role,
        parts: tuple[Part, ...],
        model: str | None,
        usage: Usage,
        created: float | None = None,
        status: MessageStatus = MessageStatus.COMPLETE,
    ) -> Message:
        """The next message under the session's head (not saved yet)."""
        parent = self.head(session)
        base = parent.totals if parent else Totals()
        return Message(
            id=new_id(),
            parent_id=parent.id if parent else None,
            role=role,
            parts=parts,
            created=created if created is not None else now(),
            model=model,
            usage=usage,
            status=status,
            depth=parent.depth + 1 if parent else 0,
            totals=base.plus(usage),
            writer_pid=os.getpid() if status is MessageStatus.STREAMING else None,
        )

    def move_head(
        self,
        session: Session,
        message: Message,
        retitle: str | None = None,
        status: SessionStatus | None = None,
    ) -> Session:
        """Point the session at `message`; a new session takes its title from `retitle`."""
        title = session.title
        if retitle and title == DEFAULT_TITLE and session.totals.messages == 0:
            title = title_from_prompt(retitle)
        updated = session.with_changes(
            head_id=message.id,
            totals=message.totals,
            updated=max(now(), session.updated),
            title=title,
            status=status or session.status,
        )
        self.store.put_session(updated)
        return updated

    def written(self, root_id: str, messages: list[Message]) -> None:
        """Tell listeners these messages are saved (after the transaction)."""
        self.on_written(root_id, messages)
