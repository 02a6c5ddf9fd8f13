"""Import Codex CLI sessions ($CODEX_HOME/sessions/**/rollout-*.jsonl) into the store.

Incremental like the Claude Code import: a file is read again only when its size or
mtime changed, and ids come from Codex's own (the thread id, then each message's place),
so a re-import updates the same records. Forks (`forked_from_id`) and subagent threads
(`parent_thread_id`) hang under their parent in the tree."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.engine.engine import Engine
from tui.engine.importers import bulk
from tui.engine.importers.bulk import bulk_pool
from tui.engine.importers.codex_parse import Rollout, RolloutParser
from tui.engine.importers.codex_workers import (
    PreparedRollout,
    codex_id,
    link_of,
    prepare_rollout,
    to_session,
)
from tui.engine.importers.jsonl import first_record, parse_files
from tui.engine.importers.report import FileResult, ImportReport, load_state, save_state
from tui.engine.sessions.model import Session
from tui.engine.store.errors import NotFoundError

STATE_FILE = "imports/codex.json"
Progress = Callable[[int, int], None]


def default_root() -> Path:
    """$CODEX_HOME/sessions, else ~/.codex/sessions."""
    base = os.environ.get("CODEX_HOME")
    return (Path(base).expanduser() if base else Path.home() / ".codex") / "sessions"


def rollout_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.jsonl") if p.is_file())


@dataclass
class _Todo:
    """A rollout to read: its state key, signature, and what the last import recorded."""

    key: str
    sig: list[int]
    previous: dict[str, object] | None


class CodexImporter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state_path = engine.store.home / STATE_FILE
        self.state: dict[str, dict[str, object]] = load_state(self.state_path)
        self._links: list[tuple[str, str]] = []  # (session id, parent thread id)

    def run(self, root: Path | None = None, progress: Progress | None = None) -> ImportReport:
        root = root or default_root()
        report = ImportReport()
        files = rollout_files(root) if root.exists() else []
        checks = [self._check(path) for path in files]
        sizes = [c.sig[0] if isinstance(c, _Todo) else 0 for c in checks]
        total, done = sum(sizes), 0
        new = [c.previous is None if isinstance(c, _Todo) else False for c in checks]
        with contextlib.ExitStack() as stack:
            jobs = [((str(p), c.key), size) for p, c, size, n in zip(files, checks, sizes, new,
                    strict=True) if n and isinstance(c, _Todo)]  # fmt: skip
            pool = bulk_pool(self.engine.store, prepare_rollout, jobs, stack,
                             [prepare_rollout.__module__])  # fmt: skip
            items = list(zip(files, checks, sizes, new, strict=True))
            weights = [bulk.batch_weight(size, pool is not None and n) for _, _, size, n in items]
            for batch in bulk.batches(items, weights, bulk.BATCH_BYTES):
                with self.engine.store.transaction():  # one write of each file it touches
                    for path, check, size, fresh in batch:
                        if isinstance(check, FileResult):
                            report.files.append(check)
                            continue
                        prepared = pool.next() if pool is not None and fresh else None
                        report.files.append(self._import(path, check, prepared))
                        done += size
                        if progress:
                            progress(done, total)
        self._link()
        save_state(self.state_path, self.state)
        return report

    def _check(self, path: Path) -> FileResult | _Todo:
        key = str(path.resolve())
        try:
            st = path.stat()
        except OSError as exc:
            return FileResult(key, "failed", reason=f"cannot read: {exc.strerror}")
        sig = [st.st_size, st.st_mtime_ns]
        previous = self.state.get(key)
        if previous and previous.get("sig") == sig:
            return FileResult(key, "unchanged")
        return _Todo(key, sig, previous)

    def _import(self, path: Path, todo: _Todo, prepared: PreparedRollout | None) -> FileResult:
        """Store one rollout: as a worker encoded it, when the store does not hold its
        session; else parsed here and merged with what the store holds."""
        key, previous = todo.key, todo.previous
        if prepared is not None:
            if prepared.failed:
                return FileResult(key, "failed", reason=prepared.failed)
            family = prepared.family
            if family is None:  # no entries
                self.state[key] = {"sig": todo.sig, "sessions": []}
                return FileResult(key, "imported", 0, 0, prepared.skipped)
            if bulk.take(self.engine.store, [family]):
                if prepared.link:
                    self._links.append((family.root_id, prepared.link))
                self.state[key] = {"sig": todo.sig, "sessions": [family.root_id]}
                return FileResult(key, "imported", 1, family.count, prepared.skipped)
        rollout, why = parse_files([path], RolloutParser())
        if rollout is None:
            return FileResult(key, "failed", reason=why)
        if not rollout.entries:
            self.state[key] = {"sig": todo.sig, "sessions": []}
            return FileResult(key, "unchanged" if previous else "imported", 0, 0, rollout.skipped)
        session = self._store(rollout, key, path)
        self.state[key] = {"sig": todo.sig, "sessions": [session.id]}
        action = "updated" if previous else "imported"
        return FileResult(key, action, 1, len(rollout.entries), rollout.skipped)

    def _store(self, rollout: Rollout, source: str, path: Path) -> Session:
        session, messages = to_session(rollout, source, path)
        with self.engine.store.transaction():
            try:  # a fork the user made of it, or a rename, stays: keep its own fields
                old = self.engine.store.get_session(session.id)
                session = session.with_changes(
                    title=old.title, archived=old.archived, parent_session_id=old.parent_session_id
                )
            except NotFoundError:
                pass
            self.engine.store.put_messages(session.id, messages)
            self.engine.store.put_session(session)
        self.engine.writer.written(session.id, messages)
        link = link_of(rollout)
        if link:
            self._links.append((session.id, link))
        return session

    def _link(self) -> None:
        """Forks and subagent threads under the session they came from."""
        if not self._links:
            return
        with self.engine.store.transaction():
            for session_id, parent_thread in self._links:
                parent_id = codex_id("session", parent_thread)
                try:
                    self.engine.store.get_session(parent_id)
                except NotFoundError:
                    continue  # its parent was not imported (yet): it stays a root
                session = self.engine.store.get_session(session_id)
                if session.parent_session_id != parent_id:
                    self.engine.store.put_session(session.with_changes(parent_session_id=parent_id))


# -- the agent's shape (importers/agents.py) -------------------------------------------

IMPORTER = CodexImporter
ITEM_TYPES = {"session_meta", "turn_context", "response_item", "event_msg", "compacted"}


def is_rollout(path: Path) -> bool:
    record = first_record(path) if path.suffix == ".jsonl" else None
    if record is None or "sessionId" in record:
        return False
    # the current format's typed lines, or the older bare header
    return record.get("type") in ITEM_TYPES or ("id" in record and "instructions" in record)


def detect(path: Path) -> bool:
    """A Codex rollout, or a folder of them (`~/.codex`, its `sessions`)."""
    from tui.engine.importers.agents import detect_jsonl

    return detect_jsonl(path, "sessions", is_rollout)


def unit_of(changed: Path, root: Path) -> Path | None:
    return changed if changed.suffix == ".jsonl" else None
