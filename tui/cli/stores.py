"""`forktree store copy --from A --to B`: move everything between stores (a TinyDB
folder or a postgresql:// URL), resumable, with a progress bar on a terminal."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import AddCommand, emit_json
from tui.engine import Engine, InvalidInputError
from tui.engine.store.choose import describe, open_store
from tui.engine.store.copy import copy_store


def cmd_store(engine: Engine, args: argparse.Namespace) -> int:
    source = open_store(url=args.source)
    target = open_store(url=args.target)
    try:
        if sys.stderr.isatty() and not args.json:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            terminal = Console(file=getattr(sys.stderr, "inner", sys.stderr))
            columns = (
                "{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
            )
            with Progress(*columns, console=terminal, transient=True) as bar:
                task = bar.add_task("copying families", total=None)
                report = copy_store(
                    source,
                    target,
                    lambda done, total: bar.update(task, completed=done, total=total),
                )
        else:
            report = copy_store(source, target)
        if args.json:
            emit_json(report.__dict__)
        else:
            print(
                f"{report.copied} families copied, {report.skipped} already there "
                f"({report.sessions} sessions, {report.messages} messages) "
                f"from {describe(source)} to {describe(target)}"
            )
    finally:
        source.close()
        target.close()
    return 0


def cmd_share(engine: Engine, args: argparse.Namespace) -> int:
    """share / unshare S [--with ROLE | --all]: who else may read the session."""
    share = getattr(engine.store, "share", None)
    if share is None:
        raise InvalidInputError(
            "sharing needs a shared store: this one is TinyDB on this machine "
            "(see --store postgresql://…, and `forktree store copy`)"
        )
    if not args.role and not args.all:
        raise InvalidInputError("say with whom: --with ROLE, or --all")
    session = engine.session(args.session)
    on = args.command == "share"
    sharers: list[str] = share(session.id, None if args.all else args.role, on)
    if args.json:
        emit_json({"session": session.id, "shared_with": sharers})
    else:
        print(
            f"{session.short_id}: "
            + (f"shared with {', '.join(sharers)}" if sharers else "private")
        )
    return 0


def add_commands(add: AddCommand) -> None:
    for name, what in (("share", "let a role (or everyone) read"), ("unshare", "stop sharing")):
        p = add(name, cmd_share, f"{what} a session on a shared store", json_flag=True)
        p.add_argument("session")
        p.add_argument("--with", dest="role", metavar="ROLE", help="a database role")
        p.add_argument("--all", action="store_true", help="everyone who can use the store")
    p = add(
        "store",
        cmd_store,
        "copy everything from one store to another (resumable)",
        json_flag=True,
    )
    p.add_argument("action", choices=["copy"])
    p.add_argument("--from", dest="source", required=True, metavar="URL_OR_PATH")
    p.add_argument("--to", dest="target", required=True, metavar="URL_OR_PATH")
