"""The first-run welcome session: what forktree is, the active provider, the main keys."""

from __future__ import annotations

from tui.engine import Engine, Session

WELCOME = """\
## Welcome to forktree

A terminal app for chatting with LLM agents and for **browsing, forking and comparing**
their sessions. Sessions are branches of a message tree, like git: fork at any
message, revert without losing anything, and keep every direction you tried.

**Provider:** `{provider}`{note}

| key | does |
|---|---|
| `Enter` / `ctrl+j` | send / new line |
| `Esc` | stop a streaming reply (the partial reply is kept) |
| `ctrl+n` | new session |
| `ctrl+k` | switch session (fuzzy) · `alt+↑/↓` previous / next |
| `ctrl+f` | fork at the focused message (`f` in the transcript) |
| `e` / `r` | edit & resend / revert to the focused message |
| `F2` `F3` `F8` `F4` | rename, archive, delete, export |
| `ctrl+g` | search every message of every session |
| `ctrl+r` / `b` | the family as a graph of forks / name a checkpoint |
| `ctrl+o` | choose the provider and model for this session |
| `ctrl+b` / `ctrl+t` | hide the tree / the tool pane |
| `ctrl+p` | every command · `F9` next theme |

Try `forktree demo` in a shell for a small tree of sample sessions.
"""


def create_welcome(engine: Engine, provider: str = "echo") -> Session:
    note = (
        " — offline: it echoes your prompt, with a thinking block and a tool call, so "
        "every pane works with no key. Set `ANTHROPIC_API_KEY` or `OPENAI_API_KEY` for a "
        "real model."
        if provider == "echo"
        else ""
    )
    session = engine.new_session(title="Welcome to forktree", provider=provider)
    engine.append(session.id, "assistant", WELCOME.format(provider=provider, note=note))
    return engine.session(session.id)
