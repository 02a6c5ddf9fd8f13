"""Import Codex CLI sessions ($CODEX_HOME/sessions/**/rollout-*.jsonl) into the store.

Incremental like the Claude Code import: a file is read again only when its size or
mtime changed, and ids come from Codex's own (the thread id, then each message's place),
so a re-import updates the same records. Forks (`forked_from_id`) and subagent threads
(`parent_thread_id`) hang under their parent in the tree."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tui.engine.engine import Engine, title_from_prompt
from tui.engine.importers.codex_parse import Rollout, RolloutParser
from tui.engine.importers.jsonl import first_record, parse_files
from tui.engine.importers.report import FileResult, ImportReport, load_state, save_state
from tui.engine.providers.pricing import with_cost
from tui.engine.sessions.model import Message, MessageStatus, Origin, Session, Totals
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


def codex_id(*keys: str) -> str:
    import hashlib

    return hashlib.sha1("\x1f".join(("codex", *keys)).encode()).hexdigest()[:32]


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
        total = sum(p.stat().st_size for p in files)
        done = 0
        with self.engine.store.transaction():
            for path in files:
                report.files.append(self._one(path))
                done += path.stat().st_size
                if progress:
                    progress(done, total)
        self._link()
        save_state(self.state_path, self.state)
        return report

    def _one(self, path: Path) -> FileResult:
        key = str(path.resolve())
        try:
            st = path.stat()
        except OSError as exc:
            return FileResult(key, "failed", reason=f"cannot read: {exc.strerror}")
        sig = [st.st_size, st.st_mtime_ns]
        previous = self.state.get(key)
        if previous and previous.get("sig") == sig:
            return FileResult(key, "unchanged")
        rollout, why = parse_files([path], RolloutParser())
        if rollout is None:
            return FileResult(key, "failed", reason=why)
        if not rollout.entries:
            self.state[key] = {"sig": sig, "sessions": []}
            return FileResult(key, "unchanged" if previous else "imported", 0, 0, rollout.skipped)
        session = self._store(rollout, key, path)
        self.state[key] = {"sig": sig, "sessions": [session.id]}
        action = "updated" if previous else "imported"
        return FileResult(key, action, 1, len(rollout.entries), rollout.skipped)

    def _store(self, rollout: Rollout, source: str, path: Path) -> Session:
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
        first_prompt = rollout.title or "Codex session"
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
            title=title_from_prompt(first_prompt)[:200],
            root_id=sid,
            head_id=messages[-1].id,
            created=created,
            updated=max(m.created for m in messages) or created,
            provider="codex",
            model=next((m.model for m in reversed(messages) if m.model), None),
            totals=totals,
            origin=origin,
        )
        with self.engine.store.transaction():
            try:  # a fork the user made of it, or a rename, stays: keep its own fields
                old = self.engine.store.get_session(sid)
                session = session.with_changes(
                    title=old.title, archived=old.archived, parent_session_id=old.parent_session_id
                )
            except NotFoundError:
                pass
            self.engine.store.put_messages(sid, messages)
            self.engine.store.put_session(session)
        self.engine.writer.written(sid, messages)
        link = rollout.forked_from or rollout.parent_thread
        if link and link != rollout.thread_id:
            self._links.append((sid, link))
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
