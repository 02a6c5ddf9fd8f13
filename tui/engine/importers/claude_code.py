"""Import Claude Code's history (~/.claude/projects/**/*.jsonl) into the store.

Incremental: a file is read again only when its size or mtime (or a subagent file's)
changed. Ids are derived from Claude Code's own ids, so a re-import updates the same
sessions and messages, and forks the user made of them stay attached.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.engine.engine import Engine
from tui.engine.importers import bulk
from tui.engine.importers.bulk import bulk_pool
from tui.engine.importers.claude_code_families import build_families
from tui.engine.importers.claude_code_fork import owned
from tui.engine.importers.claude_code_parse import Parsed, TranscriptParser
from tui.engine.importers.claude_code_workers import Prepared, prepare
from tui.engine.importers.jsonl import first_record, parse_files
from tui.engine.importers.report import FileResult, ImportReport, load_state, save_state
from tui.engine.sessions.model import Session
from tui.engine.util.gcpause import no_full_collections
from tui.engine.util.process_pool import OrderedPool

__all__ = ["ClaudeCodeImporter", "FileResult", "ImportReport", "default_root"]

STATE_FILE = "imports/claude_code.json"
Progress = Callable[[int, int], None]


def default_root() -> Path:
    """CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects."""
    base = os.environ.get("CLAUDE_CONFIG_DIR")
    return (Path(base).expanduser() if base else Path.home() / ".claude") / "projects"


def _subagent_files(path: Path) -> list[Path]:
    folder = path.with_suffix("") / "subagents"
    return sorted(p for p in folder.rglob("*.jsonl") if p.is_file()) if folder.is_dir() else []


def transcript_groups(root: Path) -> list[tuple[Path, list[Path]]]:
    """Each main transcript under `root` (or `root` itself), by its resolved path, with
    its files: itself, then its subagent files. One listing of each folder, and no
    `stat` of a regular file (the import stats each file once, for its signature)."""
    if root.is_file():
        return [(root.resolve(), [root, *_subagent_files(root)])]
    base = root.resolve()
    mains: list[tuple[Path, Path]] = []  # (resolved, as found)
    with_subagents: set[Path] = set()  # folders holding a "subagents" folder
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            path = folder / entry.name
            if entry.is_dir(follow_symlinks=False):  # like rglob: links to folders are left
                if entry.name == "subagents":
                    with_subagents.add(folder)
                else:
                    folders.append(path)
            # regular files only: a FIFO would block the import, a dangling link or a link
            # loop cannot be read (is_file is False for all three)
            elif entry.name.endswith(".jsonl") and _is_file(entry):
                found = path.resolve() if entry.is_symlink() else base / path.relative_to(root)
                mains.append((found, path))
    mains.sort()
    return [
        (key, [path, *(_subagent_files(path) if path.with_suffix("") in with_subagents else ())])
        for key, path in mains
    ]


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:  # a link loop
        return False


def _signature(paths: list[Path]) -> list[list[int]]:
    out = []
    for p in paths:
        st = p.stat()
        out.append([st.st_size, st.st_mtime_ns])
    return out


@dataclass
class _Todo:
    """A file to read: its state key, signature, and what the last import recorded."""

    key: str
    sig: list[list[int]]
    previous: dict[str, object] | None
    parallel: bool = False  # parsed by a worker

    @property
    def size(self) -> int:
        return sum(size for size, _ in self.sig)


class ClaudeCodeImporter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state_path = engine.store.home / STATE_FILE
        self.state: dict[str, dict[str, object]] = load_state(self.state_path)
        self._forks: list[tuple[str, str]] = []
        self._owned = owned(engine.store.home)

    def run(self, root: Path | None = None, progress: Progress | None = None) -> ImportReport:
        with no_full_collections():
            return self._run(root or default_root(), progress)

    def _run(self, root: Path, progress: Progress | None) -> ImportReport:
        report = ImportReport()
        found = transcript_groups(root) if root.exists() else []
        groups = [g for _, g in found]
        checks = [self._check(key, g) for key, g in found]
        sizes = [c.size if isinstance(c, _Todo) else 0 for c in checks]
        total, done = sum(sizes), 0
        self._forks = []
        with contextlib.ExitStack() as stack:
            pool = self._workers(groups, sizes, checks, stack)
            items = list(zip(groups, sizes, checks, strict=True))
            weights = [
                bulk.batch_weight(size, isinstance(c, _Todo) and c.parallel) for _, size, c in items
            ]
            for batch in bulk.batches(items, weights, bulk.BATCH_BYTES):
                with self.engine.store.transaction():  # one write of each file it touches
                    for group, size, check in batch:
                        if isinstance(check, FileResult):
                            report.files.append(check)
                        else:
                            prepared = pool.next() if pool and check.parallel else None
                            report.files.append(self._import(group, check, prepared))
                        done += size
                        if progress and size:
                            progress(done, total)
        self._link_forks()
        save_state(self.state_path, self.state)
        return report

    def _workers(
        self,
        groups: list[list[Path]],
        sizes: list[int],
        checks: list[FileResult | _Todo],
        stack: contextlib.ExitStack,
    ) -> OrderedPool[Prepared] | None:
        """A process pool for the files the store has never seen, when they are enough
        input to pay for starting it (and the store takes family files written
        elsewhere); closed, with its folder, when `stack` is."""
        fresh = [
            (g, size, c)
            for g, size, c in zip(groups, sizes, checks, strict=True)
            if isinstance(c, _Todo) and c.previous is None
        ]
        jobs = [(([str(p) for p in g], c.key), size) for g, size, c in fresh]
        pool = bulk_pool(self.engine.store, prepare, jobs, stack, [prepare.__module__])
        if pool is not None:
            for _, _, check in fresh:
                check.parallel = True
        return pool

    def _link_forks(self) -> None:
        """Files written by --fork-session name the session they came from: hang them
        under it in the tree (their messages are copies, so they share no history)."""
        if not self._forks:
            return
        by_claude_id = {
            s.origin.source_id: s
            for s in self.engine.store.list_sessions()
            if s.origin.kind == "claude_code" and s.id == s.root_id
        }
        with self.engine.store.transaction():
            for session_id, parent_claude_id in self._forks:
                parent = by_claude_id.get(parent_claude_id)
                session = self.engine.store.get_session(session_id)
                if parent is not None and session.parent_session_id != parent.id:
                    self.engine.store.put_session(session.with_changes(parent_session_id=parent.id))

    def _check(self, main: Path, group: list[Path]) -> FileResult | _Todo:
        """What a file needs: nothing (unchanged, unreadable, ours) or to be read."""
        key = str(main)
        try:
            sig = _signature(group)
        except OSError as exc:
            return FileResult(key, "failed", reason=f"cannot read: {exc.strerror}")
        previous = self.state.get(key)
        if previous and previous.get("sig") == sig:
            return FileResult(key, "unchanged")
        if key in self._owned:  # a fork forktree wrote: its turns come in through forktree
            return FileResult(key, "unchanged", reason="a fork continued in forktree")
        return _Todo(key, sig, previous)

    def _import(self, group: list[Path], todo: _Todo, prepared: Prepared | None) -> FileResult:
        """Store one file: as a worker encoded it, when the store holds none of its
        families; else parsed here and merged with what the store holds."""
        if prepared is not None and prepared.failed:
            return FileResult(todo.key, "failed", reason=prepared.failed)
        if prepared is not None and bulk.take(self.engine.store, prepared.families):
            ids, messages = self._taken(prepared)
            skipped = prepared.skipped
        else:  # the store holds one of its families: merged here
            parsed, why = parse_files(group, TranscriptParser())
            if parsed is None:
                return FileResult(todo.key, "failed", reason=why)
            sessions, messages = self._store(parsed, todo.key)
            ids, skipped = [s.id for s in sessions], parsed.skipped
        self.state[todo.key] = {"sig": todo.sig, "sessions": ids}
        action = "updated" if todo.previous else "imported"
        return FileResult(todo.key, action, len(ids), messages, skipped)

    def _taken(self, prepared: Prepared) -> tuple[list[str], int]:
        """A worker's families, which the store took: their session ids, and how many
        messages. The search index, where there is one, reads them at its next sync
        (their files are new to it)."""
        self._forks += prepared.forks
        ids = [str(s["id"]) for f in prepared.families for s in f.sessions]
        return ids, sum(f.count for f in prepared.families)

    # -- families -> the store --------------------------------------------------------

    def _store(self, parsed: Parsed, source: str) -> tuple[list[Session], int]:
        built = build_families(parsed, source)
        self._forks += built.forks
        made: list[Session] = []
        count = 0
        written = []
        with self.engine.store.transaction():
            for family in built.families:
                messages = family.messages()
                self.engine.store.put_messages(family.root_id, messages)
                written.append((family.root_id, messages))
                count += len(messages)
                heads = {m.id for m in messages}
                made += [self._merged(s, heads) for s in family.sessions]
        for root_id, messages in written:  # the search index, where there is one, follows
            self.engine.writer.written(root_id, messages)
        return made, count

    def _merged(self, session: Session, imported_heads: set[str]) -> Session:
        """`session` as imported, over the one the store holds: a session continued in
        forktree keeps the user's work; a title the user set later, and archiving, stay."""
        try:
            existing = self.engine.store.get_session(session.id)
        except Exception:
            existing = None
        if existing is not None:
            if existing.head_id not in imported_heads:  # continued here: keep the user's work
                return existing
            session = session.with_changes(
                title=existing.title
                if existing.title != session.title and existing.updated > session.updated
                else session.title,
                archived=existing.archived,
            )
        self.engine.store.put_session(session)
        return session


# -- the agent's shape (importers/agents.py) -------------------------------------------

IMPORTER = ClaudeCodeImporter
RECORD_TYPES = {"summary", "user", "assistant", "system", "file-history-snapshot"}


def is_transcript(path: Path) -> bool:
    record = first_record(path) if path.suffix == ".jsonl" else None
    return record is not None and ("sessionId" in record or record.get("type") in RECORD_TYPES)


def detect(path: Path) -> bool:
    """A Claude Code transcript, or a folder of them (`~/.claude`, its `projects`)."""
    from tui.engine.importers.agents import detect_jsonl

    return detect_jsonl(path, "projects", is_transcript)


def unit_of(changed: Path, root: Path) -> Path | None:
    """A subagent's file goes with its session's transcript."""
    if changed.suffix != ".jsonl":
        return None
    if "subagents" in changed.parts:
        return Path(*changed.parts[: changed.parts.index("subagents")]).with_suffix(".jsonl")
    return changed
