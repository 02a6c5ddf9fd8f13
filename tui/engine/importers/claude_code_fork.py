"""Fork an imported Claude Code session at any message, natively: a new Claude Code
transcript beside the source, the way Claude Code's own SDK forks a session.

The new file holds the source's records up to and including the chosen message (with
the tool results that answer it), sidechain records left out; a fresh `sessionId`; every
`uuid` replaced and `parentUuid` / `logicalParentUuid` remapped; a `forkedFrom` link to
the source session and message; a custom title. It is created exclusively, owner-only;
the source file is never touched. `claude -p --resume=<new id>` then goes on from it."""

from __future__ import annotations

import json
import os
import uuid as uuids
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.engine.errors import InvalidInputError
from tui.engine.importers.claude_code_parse import TranscriptParser, stable_id
from tui.engine.importers.jsonl import iter_objects
from tui.engine.sessions.model import ToolResultPart, ToolUsePart

PARENT_KEYS = ("parentUuid", "logicalParentUuid")


@dataclass(frozen=True, slots=True)
class NativeFork:
    session_id: str  # Claude Code's id of the new session
    path: Path


def _records(path: Path) -> list[dict[str, Any]]:
    with open(path, "rb") as handle:
        return [obj for obj in iter_objects(handle) if isinstance(obj, dict)]


def write_fork(source: Path, message_id: str, title: str) -> NativeFork:
    """Write the fork of the transcript `source` at forktree's message `message_id`."""
    try:
        records = _records(source)
    except OSError as exc:
        raise InvalidInputError(f"cannot read the Claude Code transcript {source}: {exc}") from None
    parser = TranscriptParser()
    for record in records:
        parser.feed(record)
    parsed = parser.finish()
    target = next((key for key in parsed.nodes if stable_id(key) == message_id), None)
    if target is None:
        raise InvalidInputError(
            "that message is not in the Claude Code transcript it came from (it was made "
            "in forktree, or the file changed); fork at one of the imported messages"
        )
    node = parsed.nodes[target]
    called = {p.tool_id for p in node.parts if isinstance(p, ToolUsePart)}
    answered = {p.tool_id for p in node.parts if isinstance(p, ToolResultPart)}
    if called - answered:
        raise InvalidInputError(
            "forking here would cut between a tool call and its result; fork at the "
            "message before the call, or after its result"
        )
    chain: set[str] = set()
    key: str | None = target
    while key is not None and key not in chain:
        chain.add(key)
        key = parsed.nodes[key].parent
    new_session = str(uuids.uuid4())
    old_session = node.session_id or ""
    kept: list[dict[str, Any]] = []
    renamed: dict[str, str] = {}
    for record in records:
        old = record.get("uuid")
        if not isinstance(old, str) or record.get("isSidechain"):
            continue
        owner = parser._visible(old)  # the forktree message this record is part of
        if owner not in chain:
            continue
        renamed[old] = str(uuids.uuid4())
        kept.append(record)
    parent_of = {r["uuid"]: r.get("parentUuid") for r in records if isinstance(r.get("uuid"), str)}
    out: list[dict[str, Any]] = []
    for record in kept:
        copy = dict(record)
        copy["uuid"] = renamed[record["uuid"]]
        copy["sessionId"] = new_session
        for field in PARENT_KEYS:
            copy[field] = _kept_ancestor(record.get(field), renamed, parent_of)
        copy["forkedFrom"] = {"sessionId": old_session, "messageUuid": target}
        out.append(copy)
    out.append({"type": "custom-title", "customTitle": title, "sessionId": new_session})
    path = source.parent / f"{new_session}.jsonl"
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    return NativeFork(new_session, path)


def _kept_ancestor(
    uuid: object, renamed: dict[str, str], parent_of: dict[str, object]
) -> str | None:
    """The new uuid of `uuid`, or of its nearest kept ancestor (None at the root)."""
    seen: set[str] = set()
    while isinstance(uuid, str) and uuid not in seen:
        if uuid in renamed:
            return renamed[uuid]
        seen.add(uuid)
        uuid = parent_of.get(uuid)
    return None


OWNED_FILE = "imports/claude_code_forks.json"  # transcripts forktree wrote: path -> session


def owned(home: Path) -> dict[str, str]:
    """The Claude Code transcripts forktree's own forks continue in (an import skips them:
    their messages come in through forktree's turns)."""
    try:
        data = json.loads((home / OWNED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(home: Path, fork: NativeFork, session_id: str) -> None:
    from tui.engine.store.atomic import write_atomic

    known = owned(home)
    known[str(fork.path.resolve())] = session_id
    (home / OWNED_FILE).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(str(home / OWNED_FILE), json.dumps(known).encode())
