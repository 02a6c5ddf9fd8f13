"""The session tree: families of sessions, forks nested under the session they came from."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...engine.forest import Node, build_forest
from ...engine.humanize import age
from ...engine.model import Session

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class SessionTree(Tree[str]):
    """Each node's data is a session id. Enter or a click opens it."""

    BINDINGS = [
        Binding("r", "screen.rename", "Rename", id="tree.rename"),
        Binding("a", "screen.archive", "Archive", id="tree.archive"),
        Binding("d", "screen.delete", "Delete", id="tree.delete"),
        Binding("m", "screen.mark", "Mark to compare", id="tree.mark"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__("sessions", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self.busy: set[str] = set()
        self.marked: set[str] = set()
        self.frame = 0
        self._session_nodes: dict[str, TreeNode[str]] = {}
        self._sessions: dict[str, Session] = {}
        self._depths: dict[str, int] = {}

    def label_for(self, session: Session, depth: int = 0) -> Text:
        """Title cut to fit the pane, then dim meta: messages·age, @fork point."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if session.id in self.marked:
            text.append("◆ ", "bold $warning")
        if session.id in self.busy:
            text.append(SPINNER[self.frame % len(SPINNER)] + " ", "bold $accent")
        elif session.status.value == "error":
            text.append("! ", "bold red")
        if session.parent_session_id:
            text.append("↳ ", "dim")
        meta = f" {session.totals.messages}·{age(session.updated)}"
        if session.fork_depth is not None and session.parent_session_id:
            meta += f" @{session.fork_depth + 1}"
        if session.origin.git_branch:
            meta += f" {session.origin.git_branch}"
        if session.archived:
            meta += " archived"
        width = (self.scrollable_content_region.width or 28) - self.guide_depth * (depth + 1) - 1
        room = max(6, width - len(text) - len(meta))
        title = session.title if len(session.title) <= room else session.title[: room - 1] + "…"
        text.append(title)
        text.append(meta, "dim")
        return text

    def populate(self, sessions: list[Session], select: str | None = None) -> None:
        """Rebuild from `sessions`, keeping the cursor on `select`."""
        self._sessions = {s.id: s for s in sessions}
        self.clear()
        self._session_nodes = {}
        for root in build_forest(sessions):
            self._add(self.root, root)
        if select:
            self.select_session(select)

    def _add(self, parent: TreeNode[str], node: Node, depth: int = 0) -> None:
        session = node.session
        label = self.label_for(session, depth)
        if node.children:
            branch = parent.add(label, data=session.id, expand=True)
            for child in node.children:
                self._add(branch, child, depth + 1)
        else:
            branch = parent.add_leaf(label, data=session.id)
        self._session_nodes[session.id] = branch
        self._depths[session.id] = depth

    def refresh_session(self, session: Session) -> None:
        self._sessions[session.id] = session
        node = self._session_nodes.get(session.id)
        if node is not None:
            node.set_label(self.label_for(session, self._depths.get(session.id, 0)))

    def tick(self) -> None:
        """Advance the spinner of busy sessions."""
        self.frame += 1
        for sid in self.busy:
            if sid in self._sessions:
                self.refresh_session(self._sessions[sid])

    def on_resize(self) -> None:
        for session in list(self._sessions.values()):
            self.refresh_session(session)

    def select_session(self, session_id: str) -> None:
        node = self._session_nodes.get(session_id)
        if node is not None:
            self.move_cursor(node)

    def ordered_ids(self) -> list[str]:
        """Session ids in the order shown, top to bottom."""
        out: list[str] = []

        def walk(node: TreeNode[str]) -> None:
            for child in node.children:
                if child.data:
                    out.append(child.data)
                walk(child)

        walk(self.root)
        return out
