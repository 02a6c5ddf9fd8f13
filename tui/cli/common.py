"""What every subcommand shares: how it registers, JSON output, session lines, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, Protocol

from tui.engine import Engine, InvalidInputError, Session
from tui.engine.util.humanize import age

EXIT_USAGE = 2

Handler = Callable[[Engine, argparse.Namespace], int]


class AddCommand(Protocol):
    """Registers a subcommand; each command module's `add_commands` is given one."""

    def __call__(
        self, name: str, func: Handler, help: str, json_flag: bool = False
    ) -> argparse.ArgumentParser: ...


def confirm_delete(what: str, question: str) -> bool:
    """Ask on the terminal before deleting `what`; with no terminal, refuse clearly."""
    if not sys.stdin.isatty():
        raise InvalidInputError(
            f"not deleting {what} without asking: no terminal to ask on; add -y to delete"
        )
    answer = input(f"{question} [y/N] ")
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("kept")
    return False


def known_provider(name: str | None) -> str | None:
    """`name` if forktree can build that provider, else a clear error listing those it can."""
    if name is None:
        return None
    from tui.engine.providers import configured

    known = list(dict.fromkeys([*configured(), "claude_code", "codex", "opencode"]))
    if name not in known:
        raise InvalidInputError(
            f"unknown provider {name!r}; configured: {', '.join(known)} (see `forktree providers`)"
        )
    return name


def emit_json(data: object) -> None:
    """`--json` output: indented, unicode as it is, one trailing newline."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def session_json(session: Session, children: list[str] | None = None) -> dict[str, Any]:
    data = session.to_dict()
    data["messages"] = session.totals.messages
    if children is not None:
        data["children"] = children
    return data


def session_line(session: Session) -> str:
    flags = " [archived]" if session.archived else ""
    model = f"{session.provider}/{session.model}" if session.model else session.provider
    return (
        f"{session.short_id}  {session.title}{flags}  · {session.totals.messages} msgs"
        f" · {age(session.updated)} · {model}"
    )
