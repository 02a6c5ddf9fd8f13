"""OpenCode's objects -> a forktree session and its messages (pure: no store), and the
same in a worker process for a big first import (see importers/bulk.py)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.engine.importers.bulk import Encoded
from tui.engine.sessions.model import (
    FileChangePart,
    Message,
    MessageStatus,
    Origin,
    Part,
    Role,
    Session,
    TextPart,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
    Totals,
    Usage,
)
from tui.engine.sessions.writer import title_from_prompt
from tui.engine.store.atomic import stage
from tui.engine.store.tinydb_files import encode_family

Obj = dict[str, Any]
# one session's objects: its id, its own object, its messages in order, and their parts
SessionObjects = tuple[str, Obj, list[Obj], list[list[Obj]]]


def opencode_id(*keys: str) -> str:
    return hashlib.sha1("\x1f".join(("opencode", *keys)).encode()).hexdigest()[:32]


def table_of(obj: Obj, key: str) -> Obj:
    """The object under `key` ({} if it is missing or not an object)."""
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def seconds_of(value: object) -> float:
    """Epoch seconds from OpenCode's epoch milliseconds (0.0 if not a number)."""
    return value / 1000 if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def parts_of(part_objs: list[Obj]) -> tuple[list[Part], bool]:
    """A message's parts, and whether it is a compaction."""
    parts: list[Part] = []
    compact = False
    for p in sorted(part_objs, key=lambda o: str(o.get("id"))):
        kind = p.get("type")
        if kind == "text" and isinstance(p.get("text"), str) and p["text"]:
            parts.append(TextPart(p["text"]))
        elif kind == "reasoning" and isinstance(p.get("text"), str) and p["text"].strip():
            parts.append(ThinkingPart(p["text"]))
        elif kind == "tool":
            state = table_of(p, "state")
            call = str(p.get("callID") or p.get("id"))
            name = str(p.get("tool") or "tool")
            parts.append(ToolUsePart(call, name, table_of(state, "input")))
            status = state.get("status")
            if status in ("completed", "error"):
                output = state.get("output") if status == "completed" else state.get("error")
                text = output if isinstance(output, str) else json.dumps(output)
                parts.append(ToolResultPart(call, text, status == "error"))
        elif kind == "patch":
            for name in p.get("files") or ():
                if isinstance(name, str):
                    parts.append(FileChangePart(str(p.get("id")), name, None, None, recorded=False))
        elif kind == "compaction":
            compact = True
    return parts, compact


def _model(message: Obj) -> str | None:
    """OpenCode's own name for a reply's model, `provider/model` (what `--model` takes)."""
    model, provider = message.get("modelID"), message.get("providerID")
    if not isinstance(model, str) or not model:
        return None
    return f"{provider}/{model}" if isinstance(provider, str) and provider else model


def build_session(
    sid: str, info: Obj, objs: list[Obj], parts_by_message: list[list[Obj]], source: str
) -> tuple[Session, list[Message]] | None:
    """The session OpenCode's session `sid` makes (one chain of its messages that have
    parts), None if none has."""
    root_id = opencode_id("session", sid)
    messages: list[Message] = []
    totals = Totals()
    parent: str | None = None
    for obj, part_objs in zip(objs, parts_by_message, strict=True):
        parts, compact = parts_of(part_objs)
        if not parts:
            continue
        tokens, assistant = table_of(obj, "tokens"), obj.get("role") == "assistant"
        cache = table_of(tokens, "cache")
        cost = obj.get("cost")
        counted = assistant and bool(tokens)
        usage = Usage(
            (tokens.get("input") or 0) + (cache.get("read") or 0) + (cache.get("write") or 0)
            if counted
            else None,
            tokens.get("output") if counted else None,
            float(cost) if assistant and isinstance(cost, int | float) else None,
        )
        totals = totals.plus(usage)
        error = obj.get("error")
        message = Message(
            id=opencode_id("message", str(obj["id"])),
            parent_id=parent,
            role=Role.ASSISTANT if assistant else Role.USER,
            parts=tuple(parts),
            created=seconds_of(table_of(obj, "time").get("created")),
            model=_model(obj) if assistant else None,
            usage=usage,
            status=MessageStatus.ERROR if error else MessageStatus.COMPLETE,
            error=json.dumps(error)[:500] if error else None,
            depth=len(messages),
            totals=totals,
            compact=compact,
        )
        messages.append(message)
        parent = message.id
    if not messages:
        return None
    title = info.get("title") if isinstance(info.get("title"), str) else None
    prompts = (m.text for m in messages if m.role is Role.USER)
    first = "" if title else next((t for t in prompts if t), "")
    directory = info.get("directory") if isinstance(info.get("directory"), str) else None
    times = table_of(info, "time")
    session = Session(
        id=root_id,
        title=(title or title_from_prompt(first) or "OpenCode session")[:200],
        root_id=root_id,
        head_id=messages[-1].id,
        created=seconds_of(times.get("created")) or messages[0].created,
        updated=seconds_of(times.get("updated")) or messages[-1].created,
        provider="opencode",
        model=next((m.model for m in reversed(messages) if m.model), None),
        totals=totals,
        origin=Origin(
            kind="opencode",
            source_path=source,
            source_id=sid,
            project=Path(directory).name if directory else None,
            cwd=directory,
        ),
    )
    return session, messages


@dataclass
class PreparedSession:
    """What a worker made of one session: its family (None without messages)."""

    sid: str
    family: Encoded | None


def prepare_sessions(
    sessions: list[SessionObjects], source: str, folder: str
) -> list[PreparedSession]:
    """Build and encode sessions into `folder` (runs in a worker)."""
    prepared = []
    for sid, info, objs, parts in sessions:
        built = build_session(sid, info, objs, parts, source)
        if built is None:
            prepared.append(PreparedSession(sid, None))
            continue
        session, messages = built
        docs = [session.to_dict()]
        # not synced here: the commit syncs the files it takes in threads at once
        staged = stage(encode_family(docs, [m.to_dict() for m in messages]), folder, sync=False)
        prepared.append(PreparedSession(sid, Encoded(session.root_id, docs, staged, len(messages))))
    return prepared
