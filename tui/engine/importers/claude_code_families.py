"""A parsed Claude Code file -> session families: the messages of each tree and its
sessions (main line, branches, subagents). Pure: no store, so a worker process can
build them; the importer merges them with what the store holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.engine.importers.claude_code_parse import Node, Parsed, stable_id, to_doc, to_message
from tui.engine.sessions.model import (
    Message,
    Origin,
    Role,
    Session,
    SessionStatus,
    TextPart,
    ToolUsePart,
)
from tui.engine.sessions.writer import title_from_prompt


@dataclass
class Family:
    """One tree of a file: its messages and the sessions that end in them."""

    root_id: str
    nodes: list[Node]
    ids: dict[str, str]  # node key -> message id
    sessions: list[Session]

    def messages(self) -> list[Message]:
        return [to_message(n, self.ids, self.root_id) for n in self.nodes]

    def docs(self) -> list[dict[str, Any]]:
        """The messages as stored documents (`Message.to_dict`), made directly."""
        return [to_doc(n, self.ids) for n in self.nodes]


@dataclass
class Built:
    """Every family of one file, and the forks it names (session id, the Claude Code
    session it was forked from)."""

    families: list[Family] = field(default_factory=list)
    forks: list[tuple[str, str]] = field(default_factory=list)


def build_families(parsed: Parsed, source: str) -> Built:
    """The families of `parsed` (read from `source`), in the order of their roots."""
    built = Built()
    nodes = parsed.nodes
    if not nodes:
        return built
    ids = {k: stable_id(k) for k in nodes}
    children: dict[str | None, list[Node]] = {}
    for node in nodes.values():
        children.setdefault(node.parent, []).append(node)
    roots: dict[str, str] = {}  # node key -> its root's key, parents first (by depth)
    for node in sorted(nodes.values(), key=lambda n: n.depth):
        parent = node.parent if node.parent in nodes else None
        roots[node.key] = roots.get(parent, node.key) if parent else node.key
    members_of: dict[str, list[Node]] = {}
    for node in nodes.values():
        members_of.setdefault(roots[node.key], []).append(node)
    for root_key, members in members_of.items():
        root_id = stable_id("session", root_key)
        family = _Family(parsed, source, nodes[root_key], members, children, ids, root_id)
        sessions = family.sessions(built.forks)
        built.families.append(Family(root_id, members, ids, sessions))
    return built


class _Family:
    """The sessions of one tree (a helper of build_families)."""

    def __init__(
        self,
        parsed: Parsed,
        source: str,
        root: Node,
        members: list[Node],
        children: dict[str | None, list[Node]],
        ids: dict[str, str],
        root_id: str,
    ) -> None:
        self.parsed, self.source, self.root, self.members = parsed, source, root, members
        self.children, self.ids, self.root_id = children, ids, root_id

    def sessions(self, forks: list[tuple[str, str]]) -> list[Session]:
        parsed, members, children = self.parsed, self.members, self.children
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
            source_path=self.source,
            source_id=self.root.session_id or main_leaf.session_id,
            project=Path(parsed.cwd).name if parsed.cwd else None,
            cwd=parsed.cwd,
            git_branch=parsed.git_branch,
        )
        title = self._title(leaves, main_nodes)
        main = self._session(self.root_id, title, main_leaf, origin)
        if parsed.forked_from and parsed.forked_from != origin.source_id:
            forks.append((main.id, parsed.forked_from))
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
                    f"{title} (branch)",
                    leaf,
                    origin,
                    parent=main.id,
                    fork=point,
                )
            )
        return out + self._subagents(main, origin)

    def _title(self, leaves: list[Node], main_nodes: list[Node]) -> str:
        """custom-title, else a summary of one of this tree's leaves, else the file's only
        summary for its first tree, else the first prompt."""
        parsed = self.parsed
        if parsed.title:
            return parsed.title
        for leaf in reversed(leaves):
            if leaf.key in parsed.summaries:
                return parsed.summaries[leaf.key]
        first_tree = self.root.order == min(n.order for n in parsed.nodes.values())
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

    def _subagents(self, main: Session, origin: Origin) -> list[Session]:
        members, children = self.members, self.children
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
                    title,
                    leaf,
                    sub_origin,
                    parent=main.id,
                    fork=task,
                )
            )
        return out

    def _session(
        self,
        sid: str,
        title: str,
        leaf: Node,
        origin: Origin,
        parent: str | None = None,
        fork: Node | None = None,
    ) -> Session:
        members, ids = self.members, self.ids
        stamps = [n.created for n in members if n.created]
        return Session(
            id=sid,
            title=title[:200],
            root_id=self.root_id,
            head_id=ids[leaf.key],
            parent_session_id=parent,
            fork_point_id=ids[fork.key] if fork else None,
            fork_depth=fork.depth if fork else None,
            created=min(stamps) if stamps else 0.0,
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
