"""Import forktree's own JSON exports (one session or a whole tree) back into a store.

Ids are kept when they are free; when any is taken (importing into the store it came
from, or twice), every id is replaced, so the import is a copy and never overwrites."""

from __future__ import annotations

from typing import Any

from tui.engine.engine import Engine
from tui.engine.errors import InvalidInputError
from tui.engine.explore.export import EXPORT_FORMAT, TREE_FORMAT
from tui.engine.sessions.model import Message, Session, new_id
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
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInputError(f"the export is damaged: {exc!r}") from None
    if not sessions:
        raise InvalidInputError("the export holds no session")
    return sessions, messages


def import_json(engine: Engine, data: Any) -> list[Session]:
    """Store the sessions and messages of an export; returns the sessions as stored."""
    sessions, messages = _parse(data)
    ids = {s.id for s in sessions} | {m.id for m in messages} | {s.root_id for s in sessions}
    taken = False
    for sid in {s.id for s in sessions}:
        try:
            engine.store.get_session(sid)
            taken = True
            break
        except NotFoundError:
            continue
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
