"""Import forktree's own JSON exports (one session or a whole tree) back into a store.

Ids are kept when they are free; when any is taken (importing into the store it came
from, or twice), every id is replaced, so the import is a copy and never overwrites.
Every record is checked first: a damaged field, a parent chain that loops or leaves the
export, a head that is not in it — the import is refused, naming what is wrong."""

from __future__ import annotations

from typing import Any

from tui.engine.engine import Engine
from tui.engine.errors import InvalidInputError
from tui.engine.explore.export import EXPORT_FORMAT, TREE_FORMAT
from tui.engine.sessions.model import Message, Session, Totals, new_id
from tui.engine.store import NotFoundError


def _parse(data: Any) -> tuple[list[Session], list[Message]]:
    if not isinstance(data, dict) or data.get("format") not in (EXPORT_FORMAT, TREE_FORMAT):
        raise InvalidInputError(
            "not a forktree export (no 'format': forktree-session or forktree-tree)"
        )
    try:
        raw_sessions = data["sessions"] if data["format"] == TREE_FORMAT else [data["session"]]
        sessions = [Session.from_dict(s) for s in raw_sessions]
        messages = [Message.from_dict(m) for m in data["messages"]]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInputError(f"the export is damaged: {exc}") from None
    if not sessions:
        raise InvalidInputError("the export holds no session")
    return sessions, _in_order(sessions, messages)


def _in_order(sessions: list[Session], messages: list[Message]) -> list[Message]:
    """The messages parents first, with depth and running totals worked out again (an
    export's own are not trusted); a broken or looping chain is refused."""
    by_id = {m.id: m for m in messages}
    if len(by_id) != len(messages):
        raise InvalidInputError("the export is damaged: two messages share an id")
    for s in sessions:
        for what, mid in (("head", s.head_id), ("fork point", s.fork_point_id)):
            if mid is not None and mid not in by_id:
                raise InvalidInputError(
                    f"the export is damaged: session {s.id[:8]}'s {what} is not in it"
                )
    done: dict[str, Message] = {}
    for message in messages:
        chain: list[Message] = []
        current: Message | None = message
        while current is not None and current.id not in done:
            if len(chain) > len(messages):
                raise InvalidInputError(
                    f"the export is damaged: the history of message {message.id[:8]} loops"
                )
            chain.append(current)
            parent = current.parent_id
            if parent is not None and parent not in by_id:
                raise InvalidInputError(
                    f"the export is damaged: message {current.id[:8]}'s parent is not in it"
                )
            current = by_id[parent] if parent is not None else None
        for m in reversed(chain):
            above = done.get(m.parent_id) if m.parent_id else None
            done[m.id] = m.with_changes(
                depth=above.depth + 1 if above else 0,
                totals=(above.totals if above else Totals()).plus(m.usage),
            )
    return list(done.values())


def _taken(engine: Engine, sessions: list[Session]) -> bool:
    """Would keeping the export's ids touch anything stored? (Then it becomes a copy.)"""
    try:
        if next(iter(engine.store.family_message_ids(sessions[0].root_id)), None) is not None:
            return True  # the family exists: its messages are never overwritten
        for session in sessions:
            try:
                engine.store.get_session(session.id)
                return True
            except NotFoundError:
                continue
    except NotFoundError:  # an id this store cannot file under: new ones are made
        return True
    return False


def import_json(engine: Engine, data: Any) -> list[Session]:
    """Store the sessions and messages of an export; returns the sessions as stored."""
    sessions, messages = _parse(data)
    ids = {s.id for s in sessions} | {m.id for m in messages} | {s.root_id for s in sessions}
    taken = _taken(engine, sessions)
    remap = {old: new_id() for old in ids} if taken else {old: old for old in ids}

    def m(value: str | None) -> str | None:
        return remap.get(value, value) if value else value

    exported = {s.id for s in sessions}
    root = m(sessions[0].root_id) or sessions[0].root_id  # an export is one family
    batch = [
        msg.with_changes(id=m(msg.id), parent_id=m(msg.parent_id), writer_pid=None)
        for msg in messages
    ]
    stored = []
    with engine.store.transaction():
        engine.store.put_messages(root, batch)
        for session in sessions:
            parent = session.parent_session_id if session.parent_session_id in exported else None
            copy = session.with_changes(
                id=m(session.id),
                root_id=root,
                head_id=m(session.head_id),
                parent_session_id=m(parent),
                fork_point_id=m(session.fork_point_id),
            )
            engine.store.put_session(copy)
            stored.append(copy)
    return stored
