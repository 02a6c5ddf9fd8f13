"""Session options on the command line: the flags `new`, `fork` and `set` share, and `set`.

`--max-turns N`, `--max-budget-usd USD`, `--tools on|off|default`, `--allow-tools a,b`;
in `set`, the value `default` clears a field so the settings file's default applies."""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli.common import AddCommand, emit_json, session_json
from tui.engine import Engine
from tui.engine.sessions.options import MAX_TURNS_LIMIT, SessionOptions

DEFAULT = "default"  # the value that clears a field (back to the settings' default)


def _turns(text: str) -> int | str:
    if text == DEFAULT:
        return text
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_TURNS_LIMIT:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_TURNS_LIMIT}")
    return value


def _budget(text: str) -> float | str:
    if text == DEFAULT:
        return text
    try:
        value = float(text.removeprefix("$"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount of dollars") from None
    if not 0 <= value <= 1e6:
        raise argparse.ArgumentTypeError("must be an amount of dollars, 0 or more")
    return value


def _tool_names(text: str) -> tuple[str, ...] | str:
    if text == DEFAULT:
        return text
    return tuple(name.strip() for name in text.split(",") if name.strip())


def add_option_flags(p: argparse.ArgumentParser, clearable: bool = False) -> None:
    """The session option flags; `clearable` documents `default` (for `set`)."""
    tail = " (`default`: the settings' value)" if clearable else ""
    p.add_argument("--system", help='system prompt ("" for none)')
    p.add_argument(
        "--max-turns", type=_turns, metavar="N", help=f"model requests per prompt at most{tail}"
    )
    p.add_argument(
        "--max-budget-usd",
        type=_budget,
        metavar="USD",
        help=f"spend per prompt at most; the turn stops once it is spent{tail}",
    )
    p.add_argument(
        "--tools",
        choices=("on", "off", DEFAULT),
        help="offer the agent tools to the model, or not",
    )
    p.add_argument(
        "--allow-tools",
        type=_tool_names,
        metavar="NAMES",
        help=f"offer only these tools, comma-separated (empty: none){tail}",
    )


def options_from(args: argparse.Namespace, base: SessionOptions) -> SessionOptions:
    """`base` with the flags given on the command line applied."""
    changes: dict[str, Any] = {}
    for flag, field in (
        ("max_turns", "max_turns"),
        ("max_budget_usd", "max_budget_usd"),
        ("allow_tools", "allowed_tools"),
    ):
        value = getattr(args, flag, None)
        if value is not None:
            changes[field] = None if value == DEFAULT else value
    if args.tools is not None:
        changes["tools"] = {"on": True, "off": False, DEFAULT: None}[args.tools]
    return base.with_changes(**changes) if changes else base


def any_option(args: argparse.Namespace) -> bool:
    return any(
        getattr(args, name, None) is not None
        for name in ("system", "max_turns", "max_budget_usd", "tools", "allow_tools")
    )


def cmd_set(engine: Engine, args: argparse.Namespace) -> int:
    """With no flags, shows the session's options; else changes them."""
    session = engine.session(args.session)
    changed = (
        engine.set_options(
            session.id, options=options_from(args, session.options), system_prompt=args.system
        )
        if any_option(args)
        else session
    )
    if args.json:
        emit_json(session_json(changed))
    else:
        described = changed.options.describe() or "the settings' defaults"
        print(f"{changed.short_id}: {described}")
    return 0


def add_commands(add: AddCommand) -> None:
    p = add(
        "set",
        cmd_set,
        "show or change a session's system prompt, limits and tools",
        json_flag=True,
    )
    p.add_argument("session")
    add_option_flags(p, clearable=True)
