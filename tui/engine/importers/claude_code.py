"""Import Claude Code's history (~/.claude/projects/**/*.jsonl) into the store.

Incremental: a file is read again only when its size or mtime (or a subagent file's)
changed. Ids are derived from Claude Code's own ids, so a re-import updates the same
sessions and messages, and forks the user made of them stay attached.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tui.engine.engine import Engine, title_from_prompt
from tui.engine.importers.claude_code_fork import owned
from tui.engine.importers.claude_code_parse import (
    Node,
    Parsed,
    TranscriptParser,
    stable_id,
    to_message,
)
from tui.engine.importers.jsonl import first_record, parse_files
from tui.engine.importers.report import FileResult, ImportReport, load_state, save_state
from tui.engine.sessions.model import (
    Message,
    Origin,
    Role,
    Session,
    SessionStatus,
    TextPart,
    ToolUsePart,
)
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

    # -- graph -> sessions -------------------------------------------------------------

    def _store(self, parsed: Parsed, source: str) -> tuple[list[Session], int]:
        nodes = parsed.nodes
        if not nodes:
            return [], 0
        ids = {k: stable_id(k) for k in nodes}
        children: dict[str | None, list[Node]] = {}
        for node in nodes.values():
            children.setdefault(node.parent, []).append(node)

        roots: dict[str, str] = {}  # node key -> its root's key, parents first (by depth)
        for node in sorted(nodes.values(), key=lambda n: n.depth):
            parent = node.parent if node.parent in nodes else None
            roots[node.key] = roots.get(parent, node.key) if parent else node.key
        families: dict[str, list[Node]] = {}
        for node in nodes.values():
            families.setdefault(roots[node.key], []).append(node)
        made: list[Session] = []
        count = 0
        stored: list[tuple[str, list[Message]]] = []
        with self.engine.store.transaction():
            for root_key, members in families.items():
                root = nodes[root_key]
                root_id = stable_id("session", root_key)
                messages = [to_message(n, ids, root_id) for n in members]
                self.engine.store.put_messages(root_id, messages)
                stored.append((root_id, messages))
                count += len(messages)
                made += self._sessions(parsed, source, root, members, children, ids, root_id)
        for root_id, messages in stored:  # the search index, where there is one, follows
            self.engine.writer.written(root_id, messages)
        return made, count

    def _sessions(
        self,
        parsed: Parsed,
        source: str,
        root: Node,
        members: list[Node],
        children: dict[str | None, list[Node]],
        ids: dict[str, str],
        root_id: str,
    ) -> list[Session]:
        nodes = parsed.nodes
        main_nodes = [n for n in members if not n.sidechain] or members
        main_keys = {n.key for n in main_nodes}
        leaves = sorted(
            (n for n in main_nodes if not any(c.key in main_keys for c in children.get(n.key, []))),
            key=lambda n: n.order,
        )
        main_leaf = leaves[-1]
        origin = Origin(
            kind="claude_code",
            source_path=source,
            source_id=root.session_id or main_leaf.session_id,
            project=Path(parsed.cwd).name if parsed.cwd else None,
            cwd=parsed.cwd,
            git_branch=parsed.git_branch,
        )
        title = self._title(parsed, root, leaves, main_nodes)
        main = self._session(root_id, root_id, title, main_leaf, members, ids, origin)
        if parsed.forked_from and parsed.forked_from != origin.source_id:
            self._forks.append((main.id, parsed.forked_from))
        out = [main]
        main_path: set[str] = set()
        node: Node | None = main_leaf
        while node is not None and node.key not in main_path:
            main_path.add(node.key)
            node = nodes.get(node.parent) if node.parent else None
        for leaf in leaves[:-1]:  # real branches: rewinds, edits, resumes
            point: Node | None = leaf
            while point is not None and point.key not in main_path:
                point = nodes.get(point.parent) if point.parent else None
            out.append(
                self._session(
                    stable_id("branch", leaf.key),
                    root_id,
                    f"{title} (branch)",
                    leaf,
                    members,
                    ids,
                    origin,
                    parent=main.id,
                    fork=point,
                )
            )
        out += self._subagents(members, children, ids, root_id, main, origin, parsed)
        return out

    @staticmethod
    def _title(parsed: Parsed, root: Node, leaves: list[Node], main_nodes: list[Node]) -> str:
        """custom-title, else a summary of one of this tree's leaves, else the file's only
        summary for its first tree, else the first prompt."""
        if parsed.title:
            return parsed.title
        for leaf in reversed(leaves):
            if leaf.key in parsed.summaries:
                return parsed.summaries[leaf.key]
        first_tree = root.order == min(n.order for n in parsed.nodes.values())
        if len(parsed.summaries) == 1 and first_tree:
            return next(iter(parsed.summaries.values()))
        first = next(
            (
                n
                for n in sorted(main_nodes, key=lambda n: n.order)
                if n.role is Role.USER and n.parts and isinstance(n.parts[0], TextPart)
            ),
            None,
        )
        if first is None or not isinstance(text := first.parts[0], TextPart):
            return "Claude Code session"
        return title_from_prompt(text.text)

    def _subagents(
        self,
        members: list[Node],
        children: dict[str | None, list[Node]],
        ids: dict[str, str],
        root_id: str,
        main: Session,
        origin: Origin,
        parsed: Parsed,
    ) -> list[Session]:
        by_key = {n.key: n for n in members}
        out = []
        starts = [
            n
            for n in members
            if n.sidechain
            and (n.parent is None or not by_key.get(n.parent, n).sidechain)
            and n.parent is not None
        ]
        for start in starts:
            subtree, todo = [], [start]
            while todo:
                item = todo.pop()
                subtree.append(item)
                todo.extend(c for c in children.get(item.key, []) if c.sidechain)
            leaf = max(subtree, key=lambda n: n.order)
            task = by_key.get(start.parent) if start.parent else None
            tool_id = start.task_tool_id
            description = next(
                (
                    p.input.get("description")
                    for p in (task.parts if task else ())
                    if isinstance(p, ToolUsePart) and p.tool_id == tool_id
                ),
                None,
            )
            title = (
                f"subagent: {description or title_from_prompt(start.parts[0].text)}"
                if start.parts and isinstance(start.parts[0], TextPart)
                else "subagent"
            )
            sub_origin = Origin(
                kind="claude_code_subagent",
                source_path=origin.source_path,
                source_id=tool_id,
                project=origin.project,
                cwd=origin.cwd,
                git_branch=origin.git_branch,
            )
            out.append(
                self._session(
                    stable_id("subagent", start.key),
                    root_id,
                    title,
                    leaf,
                    members,
                    ids,
                    sub_origin,
                    parent=main.id,
                    fork=task,
                )
            )
        return out

    def _session(
        self,
        sid: str,
        root_id: str,
        title: str,
        leaf: Node,
        members: list[Node],
        ids: dict[str, str],
        origin: Origin,
        parent: str | None = None,
        fork: Node | None = None,
    ) -> Session:
        created = (
            min(n.created for n in members if n.created) if any(n.created for n in members) else 0.0
        )
        session = Session(
            id=sid,
            title=title[:200],
            root_id=root_id,
            head_id=ids[leaf.key],
            parent_session_id=parent,
            fork_point_id=ids[fork.key] if fork else None,
            fork_depth=fork.depth if fork else None,
            created=created,
            updated=max(n.created for n in members),
            provider="claude_code",
            model=next(
                (
                    n.model
                    for n in sorted(members, key=lambda n: -n.order)
                    if n.model and n.model != "<synthetic>"
                ),
                None,
            ),
            status=SessionStatus.IDLE,
            totals=leaf.totals,
            origin=origin,
        )
        try:
            existing = self.engine.store.get_session(sid)
        except Exception:
            existing = None
        if existing is not None:
            imported_heads = {ids[n.key] for n in members}
            if existing.head_id not in imported_heads:  # continued here: keep the user's work
                return existing
            session = session.with_changes(
                title=existing.title
                if existing.title != title and existing.updated > session.updated
                else title,
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
