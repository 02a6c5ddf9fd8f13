"""Command palette entries (ctrl+p) for every forktree action."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS: list[tuple[str, str, str]] = [
    ("New session", "Start an empty session", "new_session"),
    ("Switch session", "Fuzzy-find a session by title", "switch"),
    ("Next session", "Open the next session in the tree", "next_session(1)"),
    ("Previous session", "Open the previous session in the tree", "next_session(-1)"),
    ("Fork at focused message", "New branch from the focused message", "fork"),
    ("Edit and resend", "Edit the focused prompt; the old branch is kept", "edit"),
    ("Revert to focused message", "Move back; the old tail stays as a branch", "revert"),
    ("Rename session", "Give the session a new title", "rename"),
    ("Archive session", "Hide the session (toggle)", "archive"),
    (
        "Show or hide archived sessions",
        "Archived sessions are hidden by default",
        "toggle_archived",
    ),
    ("Delete session", "Delete after confirmation; forks are kept", "delete"),
    ("Export session", "Write the transcript as Markdown or JSON", "export"),
    ("Compact session", "Summarise so far; the model then sees the summary onward", "compact"),
    ("Copy message", "Copy the focused message's text", "copy_message"),
    ("Copy branch as Markdown", "Copy this session's whole transcript", "copy_branch"),
    ("Toggle session tree", "Show or hide the tree", "toggle_tree"),
    ("Toggle tool pane", "Show or hide the tool / thinking pane", "toggle_side"),
    ("Abort reply", "Stop the streaming reply, keeping it", "abort"),
    ("Next theme", "Cycle through the installed themes", "next_theme"),
    (
        "Import Claude Code sessions",
        "Read ~/.claude/projects (only what changed)",
        "import_claude_code",
    ),
    (
        "Open in Claude Code",
        "Copy the `claude --resume` command for this session",
        "open_in_claude",
    ),
    ("Search every message", "Full-text search; Enter jumps to the message", "search"),
    ("Name a checkpoint", "Name the focused message; restore it from the tree", "checkpoint"),
    ("Family graph", "This session's family as a graph of forks", "family_graph"),
    ("Compare with…", "Open the compare screen against another session", "compare"),
    ("Fan out", "Send one prompt to new forks, one per model, at once", "fanout"),
    ("Keep this fork as the winner", "Archive the other forks of its fan-out", "winner"),
    ("Choose model", "Provider and model for this session's next replies", "pick_model"),
]


class ForktreeCommands(Provider):
    """Runs the main screen's actions by name."""

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)

    async def discover(self) -> Hits:
        for name, help_text, action in COMMANDS:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self._run, action), help=help_text
                )
