"""Every action of the app, declared once: its id, default key, title and help.

The widgets' bindings, the command palette (ctrl+p) and the README's key table are all
made from `ACTIONS`; users remap keys by id in the settings file's `[keys]` table."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action. `id` is `<where>.<name>`: `main` (anywhere on the main screen),
    `transcript`, `tree` and `prompt` (while that widget has the focus), `app`."""

    id: str
    action: str  # the Textual action it runs, as a binding names it
    title: str  # the command palette's name, and the footer's unless `label` is set
    help: str = ""  # the palette's help line
    key: str | None = None  # the default key(s), comma-separated; None: palette only
    label: str | None = None  # a shorter footer label
    show: bool = True  # shown in the footer
    priority: bool = False
    palette: bool = True  # offered in the command palette
    row: str | None = None  # the README key-table row it belongs to
    bound: bool = True  # False: a key the widget handles itself (documented only)

    @property
    def scope(self) -> str:
        return self.id.split(".", 1)[0]

    def binding(self) -> Binding:
        assert self.key is not None
        return Binding(
            self.key,
            self.action,
            self.label or self.title,
            show=self.show,
            priority=self.priority,
            id=self.id,
        )


A = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    # the prompt
    A("prompt.send", "", "Send", key="enter", show=False, palette=False, bound=False,
      row="send / new line (sending while a reply streams queues it)"),
    A("prompt.newline", "newline", "Newline", key="ctrl+j,alt+enter", palette=False,
      row="send / new line (sending while a reply streams queues it)"),
    A("main.abort", "abort", "Abort reply", "Stop the streaming reply, keeping it",
      key="escape", label="Abort", show=False,
      row="stop the streaming reply; the partial reply is kept, marked interrupted"),
    # sessions
    A("main.new", "new_session", "New session",
      "Start a session: title, system prompt, limits and tools (Enter: the defaults)",
      key="ctrl+n", label="New", row="new session (a dialog: Enter takes the defaults)"),
    A("main.options", "session_options", "Session options",
      "The open session's system prompt, max turns, max budget and tools", key="f7",
      label="Options", show=False, priority=True,
      row="the open session's options: system prompt, max turns, budget, tools"),
    A("main.metrics", "metrics", "Session metrics",
      "Messages, steps, tool calls, tokens and cost: session, branch and family",
      key="f6", label="Metrics", show=False, priority=True,
      row="metrics: messages, steps, tool calls per tool, tokens, cost"),
    A("main.switch", "switch", "Switch session", "Fuzzy-find a session by title or id",
      key="ctrl+k", label="Switch", priority=True,
      row="switch session: type a title (fuzzy) or an id prefix, `Enter` jumps"),
    A("main.prev", "next_session(-1)", "Previous session",
      "Open the previous session in the tree", key="alt+up", label="Prev", show=False,
      row="previous / next session in the tree"),
    A("main.next", "next_session(1)", "Next session", "Open the next session in the tree",
      key="alt+down", label="Next", show=False, row="previous / next session in the tree"),
    # the transcript
    A("prompt.up", "", "Focus the last message", key="up", palette=False, bound=False,
      row="on an empty prompt: focus the last message; `↑`/`↓` move between messages"),
    A("transcript.prev", "move(-1)", "Previous message", key="up,k", label="Prev msg",
      show=False, palette=False),
    A("transcript.next", "move(1)", "Next message", key="down,j", label="Next msg",
      show=False, palette=False),
    A("transcript.pageup", "", "Page up", key="pageup", palette=False, bound=False,
      row="a page up or down in the transcript / load earlier messages "
      "(a click focuses a message)"),
    A("transcript.pagedown", "", "Page down", key="pagedown", palette=False, bound=False,
      row="a page up or down in the transcript / load earlier messages "
      "(a click focuses a message)"),
    A("transcript.more", "more", "Earlier messages", key="home", label="Earlier", show=False,
      palette=False,
      row="a page up or down in the transcript / load earlier messages "
      "(a click focuses a message)"),
    A("transcript.latest", "latest", "Latest message", key="end", label="Latest", show=False,
      palette=False),
    # branches
    A("transcript.fork", "screen.fork", "Fork here", key="f", palette=False,
      row="fork at the focused message (or at the head)"),
    A("transcript.fork_options", "screen.fork_with_options", "Fork with options…", key="F",
      palette=False, show=False,
      row="fork at the focused message with another system prompt, limits or tools"),
    A("main.fork_options", "fork_with_options", "Fork with options…",
      "Fork at the focused message with another system prompt, limits or tools"),
    A("main.fork", "fork", "Fork at focused message", "New branch from the focused message",
      key="ctrl+f", label="Fork", row="fork at the focused message (or at the head)"),
    A("transcript.edit", "screen.edit", "Edit and resend",
      "Edit the focused prompt; the old branch is kept", key="e", label="Edit & resend",
      row="edit and resend the focused prompt: a sibling branch; the old one is kept"),
    A("transcript.revert", "screen.revert", "Revert to focused message",
      "Move back; the old tail stays as a branch", key="r", label="Revert here",
      row="revert to the focused message; the old tail is kept as a branch"),
    A("transcript.copy", "screen.copy_message", "Copy message",
      "Copy the focused message's text", key="c", label="Copy",
      row="copy the focused message / name it as a checkpoint"),
    A("transcript.checkpoint", "screen.checkpoint", "Name a checkpoint",
      "Name the focused message; restore it from the tree", key="b", label="Checkpoint",
      row="copy the focused message / name it as a checkpoint"),
    # the session as a whole
    A("main.rename", "rename", "Rename session", "Give the session a new title", key="f2",
      label="Rename", show=False,
      row="rename, archive, delete (asks first), export (.md or .json)"),
    A("main.archive", "archive", "Archive session", "Hide the session (toggle)", key="f3",
      label="Archive", show=False,
      row="rename, archive, delete (asks first), export (.md or .json)"),
    A("main.delete", "delete", "Delete session", "Delete after confirmation; forks are kept",
      key="f8", label="Delete", show=False,
      row="rename, archive, delete (asks first), export (.md or .json)"),
    A("main.export", "export", "Export session", "Write the transcript as Markdown or JSON",
      key="f4", label="Export", show=False,
      row="rename, archive, delete (asks first), export (.md or .json)"),
    A("tree.rename", "screen.rename", "Rename", key="r", palette=False),
    A("tree.archive", "screen.archive", "Archive", key="a", palette=False),
    A("tree.delete", "screen.delete", "Delete", key="d", palette=False),
    A("tree.mark", "screen.mark", "Mark to compare", key="m", palette=False,
      row="mark two sessions to compare / compare with another session"),
    A("tree.archived", "screen.toggle_archived", "Show or hide archived sessions",
      "Archived sessions are hidden by default", key="A", label="Archived",
      row="show or hide archived sessions (hidden by default)"),
    A("main.compact", "compact", "Compact session",
      "Summarise so far; the model then sees the summary onward"),
    A("main.copy_branch", "copy_branch", "Copy branch as Markdown",
      "Copy this session's whole transcript"),
    # panes and looks
    A("main.toggle_tree", "toggle_tree", "Toggle session tree", "Show or hide the tree",
      key="ctrl+b", label="Tree", row="hide or show the session tree / the tool pane"),
    A("main.tree_narrower", "tree_width(-4)", "Narrower session tree",
      "Four columns less for the tree (the settings' tree_width sets the start)",
      key="alt+left", label="Tree −", show=False,
      row="the session tree narrower / wider (`tree_width` in the settings sets it)"),
    A("main.tree_wider", "tree_width(4)", "Wider session tree",
      "Four columns more for the tree, so long titles read in full", key="alt+right",
      label="Tree +", show=False,
      row="the session tree narrower / wider (`tree_width` in the settings sets it)"),
    A("main.toggle_side", "toggle_side", "Toggle tool pane",
      "Show or hide the tool / thinking pane", key="ctrl+t", label="Tools",
      row="hide or show the session tree / the tool pane"),
    A("main.graph", "family_graph", "Family graph",
      "This session's family as a graph of forks", key="ctrl+r", label="Graph", show=False,
      row="the open session's family as a graph of forks"),
    A("main.model", "pick_model", "Choose model",
      "Provider and model for this session's next replies", key="ctrl+o", label="Model",
      row="choose the provider and model for this session's next replies"),
    # comparing
    A("main.compare", "compare", "Compare with…",
      "Open the compare screen against another session", key="f5", label="Compare",
      row="mark two sessions to compare / compare with another session"),
    A("main.search", "search", "Search every message",
      "Full-text search; Enter jumps to the message", key="ctrl+g", label="Search",
      row="search every message of every session; `Enter` jumps to the message"),
    A("main.fanout", "fanout", "Fan out",
      "Send one prompt to new forks, one per model, at once"),
    A("main.winner", "winner", "Keep this fork as the winner",
      "Archive the other forks of its fan-out"),
    # the coding agents
    A("main.import_agents", "import_agents", "Import agent sessions",
      "Claude Code, Codex and OpenCode sessions (only what changed)"),
    A("main.open_in_agent", "open_in_agent", "Open in its agent",
      "Copy the command that resumes this session in Claude Code, Codex or OpenCode"),
    # the app
    A("main.theme", "app.next_theme", "Next theme", "Cycle through the installed themes",
      key="f9", label="Theme", show=False,
      row="next theme / the command palette with every action"),
    A("app.command_palette", "command_palette", "Command palette", key="ctrl+p",
      palette=False, bound=False, row="next theme / the command palette with every action"),
    A("main.focus_next", "app.focus_next", "Focus", key="tab", show=False, palette=False),
    A("app.quit", "quit", "Quit", key="ctrl+q", palette=False, row="quit"),
)  # fmt: skip

BY_ID = {spec.id: spec for spec in ACTIONS}


def bindings(scope: str) -> list[BindingType]:
    """The bindings of one scope (`main`, `transcript`, `tree`, `prompt`, `app`)."""
    return [s.binding() for s in ACTIONS if s.scope == scope and s.key and s.bound]


def palette_actions() -> list[ActionSpec]:
    """What the command palette offers, in the registry's order."""
    return [s for s in ACTIONS if s.palette]


KEY_NAMES = {
    "enter": "Enter",
    "escape": "Esc",
    "up": "↑",
    "down": "↓",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
}


def key_display(key: str) -> str:
    """How the README and the key table write a key: `ctrl+k`, `alt+↑`, `F2`, `Esc`."""
    shown = []
    for part in key.split("+"):
        if part in KEY_NAMES:
            shown.append(KEY_NAMES[part])
        elif len(part) > 1 and part[0] == "f" and part[1:].isdigit():
            shown.append(part.upper())
        else:
            shown.append(part)
    return "+".join(shown)


def key_table() -> str:
    """The README's key table, one row per `row`, in the registry's order."""
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for spec in ACTIONS:
        if spec.row is None or spec.key is None:
            continue
        first_key = spec.key.split(",")[0]
        where = " in the tree" if spec.scope == "tree" else ""
        keys, ids = rows.setdefault(spec.row, ([], []))
        keys.append(f"`{key_display(first_key)}`{where}")
        if spec.bound:
            ids.append(f"`{spec.id}`")
    lines = ["| key | does | id in `[keys]` |", "|---|---|---|"]
    lines += [f"| {' / '.join(k)} | {row} | {' '.join(i)} |" for row, (k, i) in rows.items()]
    return "\n".join(lines)
