"""Import OpenCode sessions ($XDG_DATA_HOME/opencode, else ~/.local/share/opencode).

Each session becomes one transcript: messages in time order, text and reasoning, tool
calls with their results, patches as the files they changed, each reply's tokens and
cost as OpenCode counted them. Child sessions (subtasks) hang under their parent. Ids
come from OpenCode's own, so a re-import updates the same records; an unchanged source
is not read again, and in a changed one (OpenCode writes its database at every message)
only the sessions whose objects changed are written again."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from tui.engine.engine import Engine
from tui.engine.importers import bulk
from tui.engine.importers.bulk import bulk_pool
from tui.engine.importers.opencode_read import Obj, Storage, read_storage
from tui.engine.importers.opencode_workers import (
    PreparedSession,
    SessionObjects,
    build_session,
    opencode_id,
    prepare_sessions,
    seconds_of,
    table_of,
)
from tui.engine.importers.report import FileResult, ImportReport, load_state, save_state
from tui.engine.sessions.model import Session
from tui.engine.store.errors import NotFoundError
from tui.engine.util.process_pool import OrderedPool

STATE_FILE = "imports/opencode.json"
WORKER_JOB = 64  # sessions a worker builds at a time, in a big first import
__all__ = ["OpenCodeImporter", "fork_point", "opencode_id"]
Progress = Callable[[int, int], None]


def default_root() -> Path:
    base = os.environ.get("XDG_DATA_HOME")
    return (Path(base).expanduser() if base else Path.home() / ".local" / "share") / "opencode"


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


def in_order(storage: Storage, sid: str) -> list[Obj]:
    """A session's messages as OpenCode orders them: by time, then id."""
    return sorted(
        storage.messages.get(sid, []),
        key=lambda m: (seconds_of(table_of(m, "time").get("created")), str(m.get("id"))),
    )


def fingerprint(info: Obj, objs: list[Obj], parts: list[list[Obj]]) -> str:
    """A digest of everything a session's import reads: the same, it need not be
    written again."""
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
        written, kept, prints = self._store(storage, key, previous.get("prints", {}), sig[1])
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
        self, storage: Storage, source: str, prints: dict[str, str], size: int
    ) -> tuple[list[str], list[str], dict[str, str]]:
        """Write the sessions whose objects changed since `prints` (or that the store
        lacks); their ids, the ids of those left as they were, and the new prints. A big
        first import builds its sessions in worker processes."""
        todo: list[SessionObjects] = []
        kept: list[str] = []
        now: dict[str, str] = {}
        for sid, info in storage.sessions.items():
            objs = in_order(storage, sid)
            parts = [storage.parts.get(str(o.get("id")), []) for o in objs]
            now[sid] = fingerprint(info, objs, parts)
            if prints.get(sid) == now[sid] and self._holds(opencode_id("session", sid)):
                kept.append(opencode_id("session", sid))
                continue
            todo.append((sid, info, objs, parts))
        made: list[Session] = []
        store = self.engine.store
        with contextlib.ExitStack() as stack, store.transaction():
            chunks = [todo[i : i + WORKER_JOB] for i in range(0, len(todo), WORKER_JOB)]
            first = source not in self.state  # else the store holds most: merged here
            pool = self._pool(chunks, storage, source, size, stack) if first else None
            for chunk in chunks:
                prepared = pool.next() if pool is not None else None
                made += self._take(chunk, prepared, source)
            for session in made:  # subtasks under their parent, once both are in
                parent = storage.sessions[session.origin.source_id or ""].get("parentID")
                if isinstance(parent, str) and parent in storage.sessions:
                    linked = session.with_changes(parent_session_id=opencode_id("session", parent))
                    store.put_session(linked)
        return [s.id for s in made], kept, now

    def _pool(
        self,
        chunks: list[list[SessionObjects]],
        storage: Storage,
        source: str,
        size: int,
        stack: contextlib.ExitStack,
    ) -> OrderedPool[list[PreparedSession]] | None:
        """Workers for `chunks`, one job each, weighed by its share of the input."""
        objects = max(1, sum(len(v) for v in storage.parts.values()) + len(storage.sessions))
        jobs = []
        for chunk in chunks:
            count = sum(1 + sum(len(p) for p in parts) for _, _, _, parts in chunk)
            jobs.append(((chunk, source), size * count // objects))
        return bulk_pool(self.engine.store, prepare_sessions, jobs, stack,
                         [prepare_sessions.__module__])  # fmt: skip

    def _take(
        self, chunk: list[SessionObjects], prepared: list[PreparedSession] | None, source: str
    ) -> list[Session]:
        """Store a chunk of sessions: as a worker encoded them, where the store holds
        none of them; else built here (and merged with what the store holds)."""
        if prepared is not None:
            families = [p.family for p in prepared if p.family is not None]
            if bulk.take(self.engine.store, families):
                return [Session.from_dict(f.sessions[0]) for f in families]
        made = (self._session(*objects, source) for objects in chunk)
        return [session for session in made if session is not None]

    def _holds(self, session_id: str) -> bool:
        try:
            self.engine.store.get_session(session_id)
        except NotFoundError:  # removed here since: written again
            return False
        return True

    def _session(
        self, sid: str, info: Obj, objs: list[Obj], parts: list[list[Obj]], source: str
    ) -> Session | None:
        built = build_session(sid, info, objs, parts, source)
        if built is None:
            return None
        session, messages = built
        try:  # a rename or an archive made here stays
            old = self.engine.store.get_session(session.id)
            session = session.with_changes(title=old.title, archived=old.archived)
        except NotFoundError:
            pass
        self.engine.store.put_messages(session.root_id, messages)
        self.engine.store.put_session(session)
        self.engine.writer.written(session.root_id, messages)
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
