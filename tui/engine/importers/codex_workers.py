"""A Codex rollout -> its session and messages (pure: no store), and the same in a worker
process for a big import (see importers/bulk.py)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tui.engine.importers.bulk import Encoded
from tui.engine.importers.codex_parse import Rollout, RolloutParser
from tui.engine.importers.jsonl import parse_files
from tui.engine.providers.pricing import with_cost
from tui.engine.sessions.model import Message, MessageStatus, Origin, Session, Totals
from tui.engine.sessions.writer import title_from_prompt
from tui.engine.store.atomic import stage
from tui.engine.store.tinydb_files import encode_family


def codex_id(*keys: str) -> str:
    return hashlib.sha1("\x1f".join(("codex", *keys)).encode()).hexdigest()[:32]


def to_session(rollout: Rollout, source: str, path: Path) -> tuple[Session, list[Message]]:
    """The session a rollout (with entries) makes, and its messages, one chain."""
    thread = rollout.thread_id or path.stem
    sid = codex_id("session", thread)
    messages: list[Message] = []
    totals = Totals()
    parent: str | None = None
    for index, entry in enumerate(rollout.entries):
        usage = entry.usage
        if usage.input_tokens is not None:  # priced where the model is known
            usage = with_cost(usage, entry.model, "openai")
        totals = totals.plus(usage)
        message = Message(
            id=codex_id("message", thread, str(index)),
            parent_id=parent,
            role=entry.role,
            parts=tuple(entry.parts),
            created=entry.created,
            model=entry.model,
            usage=usage,
            status=MessageStatus.COMPLETE,
            depth=index,
            totals=totals,
            compact=entry.compact,
        )
        messages.append(message)
        parent = message.id
    origin = Origin(
        kind="codex",
        source_path=source,
        source_id=rollout.thread_id,
        project=Path(rollout.cwd).name if rollout.cwd else None,
        cwd=rollout.cwd,
        git_branch=rollout.git_branch,
    )
    created = min((m.created for m in messages if m.created), default=0.0)
    session = Session(
        id=sid,
        title=title_from_prompt(rollout.title or "Codex session")[:200],
        root_id=sid,
        head_id=messages[-1].id,
        created=created,
        updated=max(m.created for m in messages) or created,
        provider="codex",
        model=next((m.model for m in reversed(messages) if m.model), None),
        totals=totals,
        origin=origin,
    )
    return session, messages


def link_of(rollout: Rollout) -> str | None:
    """The thread a rollout was forked from, or whose subagent it is."""
    link = rollout.forked_from or rollout.parent_thread
    return link if link and link != rollout.thread_id else None


@dataclass
class PreparedRollout:
    """What a worker made of one rollout: its family (None without entries)."""

    family: Encoded | None = None
    link: str | None = None
    skipped: int = 0
    failed: str = ""  # why the file could not be read, if it could not


def prepare_rollout(path: str, source: str, folder: str) -> PreparedRollout:
    """Read, parse and encode one rollout into `folder` (runs in a worker)."""
    rollout, why = parse_files([Path(path)], RolloutParser())
    if rollout is None:
        return PreparedRollout(failed=why)
    if not rollout.entries:
        return PreparedRollout(skipped=rollout.skipped)
    session, messages = to_session(rollout, source, Path(path))
    docs = [session.to_dict()]
    # not synced here: the commit syncs the files of each batch in threads at once
    staged = stage(encode_family(docs, [m.to_dict() for m in messages]), folder, sync=False)
    family = Encoded(session.root_id, docs, staged, len(messages))
    return PreparedRollout(family, link_of(rollout), rollout.skipped)
