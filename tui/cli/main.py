"""The `forktree` command: the TUI by default, subcommands for scripts.

Each command group lives in its own module and registers itself through `add`."""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from tui.cli import (
    branches,
    files,
    housekeeping,
    imports,
    integrations,
    options,
    search,
    send,
    sessions,
    stores,
)
from tui.cli.common import EXIT_USAGE, Handler
from tui.engine import Engine, ForktreeError, InvalidInputError
from tui.engine.util.humanize import terminal_safe

COMMAND_GROUPS = (
    sessions,
    options,
    send,
    branches,
    files,
    search,
    housekeeping,
    integrations,
    imports,
    stores,
)


class TerminalSafeWriter(io.TextIOBase):
    """stdout for every subcommand: whatever a command prints (titles, messages, tool
    output, compare and search results) passes `terminal_safe` on its way out."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        return self.inner.write(terminal_safe(text))

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()


class VersionAction(argparse.Action):
    """`--version`: the installed distribution's version, looked up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("forktree")
        except PackageNotFoundError:
            found = "unknown (not installed)"
        print(f"forktree {found}")
        parser.exit()


def cmd_tui(engine: Engine, args: argparse.Namespace) -> int:
    from tui.app import first_frame
    from tui.app.app import ForktreeApp  # collection is paused since tui.launch's first line

    start = engine.session(args.session).id if getattr(args, "session", None) else None
    if getattr(args, "continue_here", False):
        start = continue_here(engine)
    argv = getattr(args, "argv", [])
    plain = start is None and first_frame.app_arguments(argv) is not None
    key = first_frame.launch_key(argv) if plain else None  # saved for the next start
    ForktreeApp(engine, start=start, frame_key=key).run()
    return 0


def continue_here(engine: Engine) -> str:
    """The most recent session started in the current folder, or a clear error."""
    here = os.getcwd()
    session = engine.most_recent_in(here)
    if session is None:
        raise InvalidInputError(
            f"no session was started in {here}; `forktree` opens the app on them all"
        )
    return session.id


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forktree",
        description="Chat with LLM agents and browse, fork and compare their sessions. "
        "With no command, opens the full-screen app.",
    )
    parser.add_argument(
        "--home", help="store folder (default: $FORKTREE_HOME or the user data dir)"
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        help="a shared store, postgresql://user@host/db (default: $FORKTREE_STORE, the "
        "settings' store, else TinyDB at --home)",
    )
    parser.add_argument("--version", action=VersionAction, help="print the version and exit")
    parser.add_argument(
        "-c",
        "--continue",
        dest="continue_here",
        action="store_true",
        help="open the app on the most recent session started in this folder",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, func: Handler, help: str, json_flag: bool = False
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        if json_flag:
            p.add_argument("--json", action="store_true", help="print JSON")
        return p

    for group in COMMAND_GROUPS:
        group.add_commands(add)
    p = add("resume", cmd_tui, "open the app on a session (an id or a unique prefix)")
    p.add_argument("session")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    func: Handler = getattr(args, "func", cmd_tui)
    engine: Engine | None = None
    stdout, stderr = sys.stdout, sys.stderr
    if func is not cmd_tui:  # the app draws the screen itself
        gc.enable()  # tui.launch paused it for the imports
        sys.stdout = TerminalSafeWriter(stdout)
        sys.stderr = TerminalSafeWriter(stderr)  # errors, tool calls, permission questions
    try:
        engine = Engine.open(args.home, store=args.store)
        return func(engine, args)
    except ForktreeError as exc:
        print(f"forktree: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the last line of defence: one line, never a traceback
        where = f": {exc.filename}" if exc.filename else ""
        print(f"forktree: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    finally:
        if engine is not None:
            for problem in engine.problems:
                print(f"forktree: warning: {problem}", file=sys.stderr)
            engine.close()
        sys.stdout, sys.stderr = stdout, stderr
