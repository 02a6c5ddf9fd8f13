"""Import OpenCode sessions ($XDG_DATA_HOME/opencode, else ~/.local/share/opencode).

Each session becomes one transcript: messages in time order, text and reasoning, tool
calls with their results, patches as the files they changed, each reply's tokens and
cost as OpenCode counted them. Child sessions (subtasks) hang under their parent. Ids
come from OpenCode's own, so a re-import updates the same records; an unchanged source
is not read again, and in a changed one (OpenCode writes its database at every message)
only the sessions whose objects changed are written again."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from tui.engine.engine import Engine, title_from_prompt
from tui.engine.importers.opencode_read import Obj, Storage, read_storage
from tui.engine.importers.report import FileResult, ImportReport, load_state, save_state
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
from tui.engine.store.errors import NotFoundError

STATE_FILE = "imports/opencode.json"
Progress = Callable[[int, int], None]


def default_root() -> Path:
    base = os.environ.get("XDG_DATA_HOME")
    return (Path(base).expanduser() if base else Path.home() / ".local" / "share") / "opencode"


def opencode_id(*keys: str) -> str:
    return hashlib.sha1("\x1f".join(("opencode", *keys)).encode()).hexdigest()[:32]


def _table(obj: Obj, key: str) -> Obj:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _ms(value: object) -> float:
    return value / 1000 if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _sources(root: Path) -> list[Path]:
    """The files an import of `root` reads (its logs and snapshots are not among them)."""
    if root.is_file():
        return [root, root.with_name(root.name + "-wal")]
    if (root / "opencode.db").is_file():
        return _sources(root / "opencode.db")
    folder = root / "storage" if (root / "storage").is_dir() else root
    return list(folder.rglob("*.json"))


def _signature(root: Path) -> list[int]:
    paths = [p for p in _sources(root) if p.is_file()]
    sizes = [p.stat() for p in paths]
    return [
        len(sizes),
        sum(s.st_size for s in sizes),
        max((s.st_mtime_ns for s in sizes), default=0),
    ]


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
            state = _table(p, "state")
            call = str(p.get("callID") or p.get("id"))
            name = str(p.get("tool") or "tool")
            parts.append(ToolUsePart(call, name, _table(state, "input")))
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


def in_order(storage: Storage, sid: str) -> list[Obj]:
    """A session's messages as OpenCode orders them: by time, then id."""
    return sorted(
        storage.messages.get(sid, []),
        key=lambda m: (_ms(_table(m, "time").get("created")), str(m.get("id"))),
    )


def fingerprint(info: Obj, objs: list[Obj], storage: Storage) -> str:
    """A digest of everything a session's import reads: the same, it need not be
    written again."""
    parts = [storage.parts.get(str(obj.get("id")), []) for obj in objs]
    return hashlib.sha1(orjson.dumps([info, objs, parts], default=str)).hexdigest()


def fork_point(source: Path, message_id: str) -> tuple[str, str | None] | None:
    """Where imported message `message_id` is in OpenCode's own data: its session's id
    and the id of the message after it (None: it is the last). None if it is not there
    (a message made since the last import)."""
    storage = read_storage(source)
    for sid in storage.sessions:
        objs = in_order(storage, sid)
        for i, obj in enumerate(objs):
            if opencode_id("message", str(obj.get("id"))) == message_id:
                after = objs[i + 1].get("id") if i + 1 < len(objs) else None
                return sid, str(after) if after is not None else None
    return None


class OpenCodeImporter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state_path = engine.store.home / STATE_FILE
        self.state: dict[str, Any] = load_state(self.state_path)

    def run(self, root: Path | None = None, progress: Progress | None = None) -> ImportReport:
        root = root or default_root()
        report = ImportReport()
        key = str(root.resolve())
        sig = _signature(root)
        if self.state.get(key, {}).get("sig") == sig:
            report.files.append(FileResult(key, "unchanged"))
            return report
        try:
            storage = read_storage(root)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            report.files.append(FileResult(key, "failed", reason=f"unreadable: {exc}"))
            return report
        previous = self.state.get(key, {})
        written, kept, prints = self._store(storage, key, previous.get("prints", {}))
        self.state[key] = {"sig": sig, "sessions": [*written, *kept], "prints": prints}
        messages = sum(len(v) for v in storage.messages.values())
        action = "updated" if previous.get("sessions") else "imported"
        report.files.append(
            FileResult(key, action, len(written) + len(kept), messages, storage.skipped)
        )
        save_state(self.state_path, self.state)
        if progress:
            progress(1, 1)
        return report

    def _store(
        self, storage: Storage, source: str, prints: dict[str, str]
    ) -> tuple[list[str], list[str], dict[str, str]]:
        """Write the sessions whose objects changed since `prints` (or that the store
        lacks); their ids, the ids of those left as they were, and the new prints."""
        made: list[Session] = []
        kept: list[str] = []
        now: dict[str, str] = {}
        store = self.engine.store
        with store.transaction():
            for sid, info in storage.sessions.items():
                objs = in_order(storage, sid)
                now[sid] = fingerprint(info, objs, storage)
                if prints.get(sid) == now[sid] and self._holds(opencode_id("session", sid)):
                    kept.append(opencode_id("session", sid))
                    continue
                session = self._session(sid, info, objs, storage, source)
                if session is not None:
                    made.append(session)
            for session in made:  # subtasks under their parent, once both are in
                parent = storage.sessions[session.origin.source_id or ""].get("parentID")
                if isinstance(parent, str) and parent in storage.sessions:
                    linked = session.with_changes(parent_session_id=opencode_id("session", parent))
                    store.put_session(linked)
        return [s.id for s in made], kept, now

    def _holds(self, session_id: str) -> bool:
        try:
            self.engine.store.get_session(session_id)
        except NotFoundError:  # removed here since: written again
            return False
        return True

    def _session(
        self, sid: str, info: Obj, objs: list[Obj], storage: Storage, source: str
    ) -> Session | None:
        root_id = opencode_id("session", sid)
        messages: list[Message] = []
        totals = Totals()
        parent: str | None = None
        for obj in objs:
            parts, compact = parts_of(storage.parts.get(str(obj["id"]), []))
            if not parts:
                continue
            tokens, assistant = _table(obj, "tokens"), obj.get("role") == "assistant"
            cache = _table(tokens, "cache")
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
                created=_ms(_table(obj, "time").get("created")),
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
        times = _table(info, "time")
        session = Session(
            id=root_id,
            title=(title or title_from_prompt(first) or "OpenCode session")[:200],
            root_id=root_id,
            head_id=messages[-1].id,
            created=_ms(times.get("created")) or messages[0].created,
            updated=_ms(times.get("updated")) or messages[-1].created,
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
        try:  # a rename or an archive made here stays
            old = self.engine.store.get_session(root_id)
            session = session.with_changes(title=old.title, archived=old.archived)
        except NotFoundError:
            pass
        self.engine.store.put_messages(root_id, messages)
        self.engine.store.put_session(session)
        self.engine.writer.written(root_id, messages)
        return session


# -- the agent's shape (importers/agents.py) -------------------------------------------

IMPORTER = OpenCodeImporter


def detect(path: Path) -> bool:
    """OpenCode's data folder (its database or its `storage` tree), or the database."""
    if path.is_file():
        return path.name == "opencode.db"
    if (path / "opencode.db").is_file() or (path / "storage" / "session").is_dir():
        return True
    return path.name == "storage" and (path / "session").is_dir()


def unit_of(changed: Path, root: Path) -> Path | None:
    """One store for every session: a change to its database or its files means reading
    it again (logs and snapshots beside them do not)."""
    relative = changed.relative_to(root).parts if changed.is_relative_to(root) else ()
    if changed.name.startswith("opencode.db") or "storage" in relative[:1]:
        return root
    return None
