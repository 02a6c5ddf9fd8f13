"""Import Claude Code's history (~/.claude/projects/**/*.jsonl) into the store.

Incremental: a file is read again only when its size or mtime (or a subagent file's)
changed. Ids are derived from Claude Code's own ids, so a re-import updates the same
sessions and messages, and forks the user made of them stay attached.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tui.engine.engine import Engine
from tui.engine.importers.claude_code_families import build_families
from tui.engine.importers.claude_code_fork import owned
from tui.engine.importers.claude_code_parse import Parsed, TranscriptParser
from tui.engine.importers.jsonl import first_record, parse_files
from tui.engine.importers.report import FileResult, ImportReport, load_state, save_state
from tui.engine.sessions.model import Session
from tui.engine.util.gcpause import no_full_collections

__all__ = ["ClaudeCodeImporter", "FileResult", "ImportReport", "default_root"]

STATE_FILE = "imports/claude_code.json"
BATCH_BYTES = 32 * 1024 * 1024  # input per transaction: fewer index shard rewrites
Progress = Callable[[int, int], None]


def default_root() -> Path:
    """CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects."""
    base = os.environ.get("CLAUDE_CONFIG_DIR")
    return (Path(base).expanduser() if base else Path.home() / ".claude") / "projects"


def _subagent_files(path: Path) -> list[Path]:
    folder = path.with_suffix("") / "subagents"
    return sorted(p for p in folder.rglob("*.jsonl") if p.is_file()) if folder.is_dir() else []


def transcript_files(root: Path) -> list[Path]:
    """Main transcripts under `root` (or `root` itself); subagent files go with their parent."""
    if root.is_file():
        return [root]
    # regular files only: a FIFO would block the import, a dangling link or a link loop
    # cannot be read (is_file is False for all three)
    return sorted(p for p in root.rglob("*.jsonl") if "subagents" not in p.parts and p.is_file())


def _signature(paths: list[Path]) -> list[list[int]]:
    out = []
    for p in paths:
        st = p.stat()
        out.append([st.st_size, st.st_mtime_ns])
    return out


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
        files = transcript_files(root) if root.exists() else []
        groups = [[f, *_subagent_files(f)] for f in files]
        sizes = [sum(p.stat().st_size for p in g) for g in groups]
        total, done = sum(sizes), 0
        self._forks = []
        batch = 0
        pending = iter(zip(groups, sizes, strict=True))
        while True:
            # one transaction (one write of each touched file) per BATCH_BYTES of input
            with self.engine.store.transaction():
                for group, size in pending:
                    report.files.append(self._one(group))
                    done += size
                    batch += size
                    if progress:
                        progress(done, total)
                    if batch >= BATCH_BYTES:
                        batch = 0
                        break
                else:
                    break
        self._link_forks()
        save_state(self.state_path, self.state)
        return report

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

    def _one(self, group: list[Path]) -> FileResult:
        main = group[0]
        key = str(main.resolve())
        try:
            sig = _signature(group)
        except OSError as exc:
            return FileResult(key, "failed", reason=f"cannot read: {exc.strerror}")
        previous = self.state.get(key)
        if previous and previous.get("sig") == sig:
            return FileResult(key, "unchanged")
        if key in self._owned:  # a fork forktree wrote: its turns come in through forktree
            return FileResult(key, "unchanged", reason="a fork continued in forktree")
        parsed, why = parse_files(group, TranscriptParser())
        if parsed is None:
            return FileResult(key, "failed", reason=why)
        sessions, messages = self._store(parsed, key)
        self.state[key] = {"sig": sig, "sessions": [s.id for s in sessions]}
        action = "updated" if previous else "imported"
        return FileResult(key, action, len(sessions), messages, parsed.skipped)

    # -- families -> the store --------------------------------------------------------

    def _store(self, parsed: Parsed, source: str) -> tuple[list[Session], int]:
        built = build_families(parsed, source)
        self._forks += built.forks
        made: list[Session] = []
        count = 0
        with self.engine.store.transaction():
            for family in built.families:
                self.engine.store.put_messages(family.root_id, family.messages)
                count += len(family.messages)
                heads = {m.id for m in family.messages}
                made += [self._merged(s, heads) for s in family.sessions]
        for family in built.families:  # the search index, where there is one, follows
            self.engine.writer.written(family.root_id, family.messages)
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
