"""`forktree store copy --from A --to B`: move everything between stores (a TinyDB
folder or a postgresql:// URL), resumable, with a progress bar on a terminal."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import AddCommand, emit_json
from tui.engine import Engine
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


def add_commands(add: AddCommand) -> None:
    p = add(
        "store",
        cmd_store,
        "copy everything from one store to another (resumable)",
        json_flag=True,
    )
    p.add_argument("action", choices=["copy"])
    p.add_argument("--from", dest="source", required=True, metavar="URL_OR_PATH")
    p.add_argument("--to", dest="target", required=True, metavar="URL_OR_PATH")
