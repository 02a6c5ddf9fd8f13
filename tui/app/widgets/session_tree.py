"""The session tree: families of sessions, forks nested under the session they came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.app.actions.registry import bindings
from tui.engine.errors import ForktreeError
from tui.engine.importers.agents import AGENTS
from tui.engine.sessions.forest import Node, build_forest
from tui.engine.sessions.model import Session, SessionRow
from tui.engine.util.humanize import age

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
MORE = "__more__"  # data of the node that shows the next page of families
CHECKPOINT = "checkpoint:"  # data prefix of checkpoint leaves: checkpoint:<session>:<msg>
PAGE = 150  # families built at once in a large store
EAGER_LIMIT = 400  # up to this many sessions the tree is built whole and expanded


TITLE_ROOM = 16  # columns a title keeps before the git branch is left out of its row


@dataclass(frozen=True)
class Arranged:
    """Rows as the tree places them (see `arrange`)."""

    rows: list[SessionRow]
    by_id: dict[str, SessionRow]
    roots: list[Node[SessionRow]]


def arrange(rows: list[SessionRow]) -> Arranged:
    """`populate`'s work on the rows alone (100k rows: ~0.4 s). It touches no widget and
    no store, so a large store's listing does it off the app's thread."""
    return Arranged(rows, {r.id: r for r in rows}, build_forest(rows))


def fit_title(title: str, room: int, keep_end: bool = False) -> str:
    """`title` in `room` columns, cut at the end; with `keep_end` (a fork's title, which
    differs from its siblings' at the end) it keeps its start and end: "Plan the…(fork 2)"."""
    if len(title) <= room:
        return title
    if not keep_end:
        return title[: room - 1] + "…"
    tail = min(10, max(0, room // 3))
    head = room - tail - 1
    return title[:head].rstrip() + "…" + (title[-tail:].lstrip() if tail else "")


class SessionTree(Tree[str]):
    """Each node's data is a session id. Enter or a click opens it."""

    BINDINGS = bindings("tree")

    def __init__(self, **kwargs: Any) -> None:  # Widget's own keywords (id, classes…)
        super().__init__("sessions", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.busy: set[str] = set()
        self.waiting: set[str] = set()  # a tool call waits for the user's answer
        self.live: set[str] = set()  # its agent (Claude Code, Codex) is writing it now
        self.marked: set[str] = set()
        self.frame = 0
        self._session_nodes: dict[str, TreeNode[str]] = {}
        self._rows: dict[str, SessionRow] = {}
        self.complete = True  # the rows are every session's (see populate)
        self._load: Callable[[str], Session] | None = None
        self._loaded: dict[str, Session] = {}  # the sessions of built nodes
        self._roots: list[Node[SessionRow]] = []
        self._index: tuple[dict[str, Node[SessionRow]], dict[str, int]] | None = None
        self._lazy = False
        self._shown_roots = 0
        self._more_node: TreeNode[str] | None = None
        self._depths: dict[str, int] = {}

    def label_for(self, session: Session, depth: int = 0) -> Text:
        """Marks, the agent's badge (CC, CX, OC), the title cut to fit the pane, then dim
        meta: messages·age, @fork point, git branch."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if session.id in self.marked:
            text.append("◆ ", "bold $warning")
        if session.id in self.waiting:
            text.append("? ", "bold $warning")
        elif session.id in self.live:
            text.append("◉ ", "bold $success")
        elif session.id in self.busy:
            text.append(SPINNER[self.frame % len(SPINNER)] + " ", "bold $accent")
        elif session.status.value == "error":
            text.append("! ", "bold red")
        elif session.status.value == "interrupted":
            text.append("◌ ", "$warning")
        if session.parent_session_id:
            text.append("↳ ", "dim")
        elif (agent := AGENTS.get(session.origin.kind)) is not None:
            text.append(f"{agent.badge} ", "bold $text-secondary")  # which agent's session
        if session.origin.workspace:
            text.append("⎇ ", "$accent")  # works in a folder of its own
        meta = f" {session.totals.messages}·{age(session.updated)}"
        if session.fork_depth is not None and session.parent_session_id:
            meta += f" @{session.fork_depth + 1}"
        if session.archived:
            meta += " archived"
        width = (self.scrollable_content_region.width or 28) - self.guide_depth * (depth + 1) - 1
        branch = f" {session.origin.git_branch}" if session.origin.git_branch else ""
        if width - len(text) - len(meta) - len(branch) >= TITLE_ROOM:  # the title first
            meta += branch
        room = max(6, width - len(text) - len(meta))
        text.append(fit_title(session.title, room, keep_end=bool(session.parent_session_id)))
        text.append(meta, "dim")
        return text

    def populate(
        self,
        rows: list[SessionRow] | Arranged,
        load: Callable[[str], Session],
        select: str | None = None,
        complete: bool = True,
        shown: int | None = None,
    ) -> None:
        """Rebuild from `rows`, keeping the cursor on `select`. `load` reads a session:
        only those of built nodes are read. Not `complete`: the rows are the newest
        families only (a start's, until the whole listing is read) of `shown` sessions.

        A small store is built whole and expanded. A large one is built lazily: the most
        recent PAGE families, collapsed, children made when a family is expanded, and a
        last node that shows the next page."""
        arranged = rows if isinstance(rows, Arranged) else arrange(rows)
        self.complete = complete
        self._rows = arranged.by_id
        self._load = load
        self._loaded = {}
        self._roots = arranged.roots
        self._index = None
        self._lazy = (len(arranged.rows) if shown is None else shown) > EAGER_LIMIT
        self.clear()
        self._session_nodes = {}
        self._depths = {}
        self._shown_roots = 0
        self._more_node = None
        self._show_more(PAGE)
        if select:
            self.select_session(select)

    def _show_more(self, count: int) -> None:
        if self._more_node is not None:
            self._more_node.remove()
            self._more_node = None
        upto = min(len(self._roots), self._shown_roots + count)
        for root in self._roots[self._shown_roots : upto]:
            self._add(self.root, root)
        self._shown_roots = upto
        left = len(self._roots) - upto
        if left:
            more = f"… {left} more" if self.complete else "… more"
            self._more_node = self.root.add_leaf(
                Text(f"{more} session families (enter)", "italic dim"), data=MORE
            )

    def _session(self, session_id: str) -> Session | None:
        session = self._loaded.get(session_id)
        if session is None and self._load is not None and session_id in self._rows:
            try:
                session = self._loaded[session_id] = self._load(session_id)
            except ForktreeError:  # deleted by another process since the listing
                return None
        return session

    def _add(self, parent: TreeNode[str], node: Node[SessionRow], depth: int = 0) -> None:
        session = self._session(node.session.id)
        if session is None:
            return
        label = self.label_for(session, depth)
        if node.children and self._lazy:
            branch = parent.add(label, data=session.id, expand=False, allow_expand=True)
        elif node.children:
            branch = parent.add(label, data=session.id, expand=True)
            for child in node.children:
                self._add(branch, child, depth + 1)
        elif session.checkpoints:
            branch = parent.add(label, data=session.id, expand=not self._lazy)
        else:
            branch = parent.add_leaf(label, data=session.id)
        for message_id, name in session.checkpoints:
            branch.add_leaf(
                Text.assemble(("⚑ ", "bold $warning"), (name, "italic")),
                data=f"{CHECKPOINT}{session.id}:{message_id}",
            )
        self._session_nodes[session.id] = branch
        self._depths[session.id] = depth

    @property
    def _forest_nodes(self) -> dict[str, Node[SessionRow]]:
        return self._forest_index()[0]

    @property
    def _family_of(self) -> dict[str, int]:
        return self._forest_index()[1]

    def _forest_index(self) -> tuple[dict[str, Node[SessionRow]], dict[str, int]]:
        """Each session's forest node and family number, made when first needed
        (expanding, or reaching an unbuilt session): not for every start-up."""
        if self._index is None:
            nodes: dict[str, Node[SessionRow]] = {}
            families: dict[str, int] = {}
            for number, root in enumerate(self._roots):
                for _, node in root.walk():
                    nodes[node.session.id] = node
                    families[node.session.id] = number
            self._index = (nodes, families)
        return self._index

    def _build_children(self, session_id: str) -> None:
        tree_node = self._session_nodes.get(session_id)
        forest_node = self._forest_nodes.get(session_id)
        if tree_node is None or forest_node is None or tree_node.children:
            return
        for child in forest_node.children:
            self._add(tree_node, child, self._depths[session_id] + 1)

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[str]) -> None:
        if (
            event.node.data
            and event.node.data != MORE
            and not event.node.data.startswith(CHECKPOINT)
        ):
            self._build_children(event.node.data)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data == MORE:
            event.stop()
            self._show_more(PAGE)

    def _ensure_built(self, session_id: str) -> None:
        """Build the nodes down to `session_id` (its page, then its ancestors)."""
        if session_id in self._session_nodes or session_id not in self._family_of:
            return
        family = self._family_of[session_id]
        if family >= self._shown_roots:
            self._show_more(family - self._shown_roots + 1)
        chain = []
        node = self._forest_nodes[session_id].session
        while (
            node.parent_session_id
            and node.parent_session_id in self._forest_nodes
            and node.parent_session_id not in chain  # a looping parent chain ends here
        ):
            node = self._forest_nodes[node.parent_session_id].session
            chain.append(node.id)
        for ancestor in reversed(chain):
            self._build_children(ancestor)
            if ancestor in self._session_nodes:
                self._session_nodes[ancestor].expand()

    def refresh_session(self, session: Session) -> bool:
        """Relabel one session's node; False when the tree does not know the session."""
        if session.id not in self._rows:
            return False
        self._loaded[session.id] = session
        self._relabel(session.id)
        return True

    def set_waiting(self, session_id: str, waiting: bool) -> None:
        """Mark a session whose model waits for a permission answer (no spinner)."""
        (self.waiting.add if waiting else self.waiting.discard)(session_id)
        self._relabel(session_id)

    def relabel(self, session_id: str) -> None:
        """Draw one session's line again (its marks changed)."""
        self._relabel(session_id)

    def _relabel(self, session_id: str) -> None:
        session = self._loaded.get(session_id)
        node = self._session_nodes.get(session_id)
        if session is not None and node is not None:
            node.set_label(self.label_for(session, self._depths.get(session_id, 0)))

    def tick(self) -> None:
        """Advance the spinner of busy sessions."""
        self.frame += 1
        for sid in self.busy - self.waiting:
            self._relabel(sid)

    def on_resize(self) -> None:
        """Titles are cut to the pane's width: cut them again for the new one."""
        for sid in list(self._session_nodes):
            self._relabel(sid)

    def select_session(self, session_id: str) -> None:
        self._ensure_built(session_id)
        node = self._session_nodes.get(session_id)
        if node is not None:
            # Tree numbers its lines lazily (on idle or render): a node added since has
            # no line yet, and the cursor would land on the first one instead.
            self._tree_lines  # noqa: B018
            self.move_cursor(node)

    def ordered_ids(self) -> list[str]:
        """Session ids in the order shown, top to bottom."""
        out: list[str] = []

        def walk(node: TreeNode[str]) -> None:
            for child in node.children:
                if child.data and child.data != MORE and not child.data.startswith(CHECKPOINT):
                    out.append(child.data)
                walk(child)

        walk(self.root)
        return out
