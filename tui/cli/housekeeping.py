"""`forktree cleanup` and `forktree import json`: keeping a store tidy, moving trees."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tui.cli.common import AddCommand
from tui.engine import Engine, InvalidInputError
from tui.engine.explore.cleanup import apply, candidates
from tui.engine.importers.json_import import import_json
from tui.engine.util.humanize import age


def cmd_cleanup(engine: Engine, args: argparse.Namespace) -> int:
    found = candidates(engine, args.older_than, args.match, include_archived=args.delete)
    verb = "delete" if args.delete else "archive"
    for s in found:
        print(f"{s.short_id}  {s.title}  · {s.totals.messages} msgs · {age(s.updated)}")
    if not args.apply:
        print(f"dry run: would {verb} {len(found)} session(s); add --apply to do it")
        return 0
    done = apply(engine, found, delete=args.delete)
    print(f"{verb}d {done} session(s)")
    return 0


def cmd_import_json(engine: Engine, path: str) -> int:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise InvalidInputError(f"{path} is not JSON: {exc}") from None
    stored = import_json(engine, data)
    for session in stored:
        print(f"{session.short_id}  {session.title}")
    print(f"imported {len(stored)} session(s) from {path}")
    return 0


def add_commands(add: AddCommand) -> None:
    p = add(
        "cleanup",
        cmd_cleanup,
        "archive (or delete) old sessions or ones matching a search; a dry run first",
    )
    p.add_argument("--older-than", type=float, metavar="DAYS")
    p.add_argument("--match", metavar="QUERY", help="sessions holding a full-text match")
    p.add_argument("--delete", action="store_true", help="delete instead of archiving")
    p.add_argument("--apply", action="store_true", help="do it (default: only list)")
    add_compact_command(add)


def cmd_compact(engine: Engine, args: argparse.Namespace) -> int:
    import asyncio

    from tui.engine.turns.compaction import compact

    message = asyncio.run(compact(engine, engine.session(args.session).id))
    print(message.text)
    return 0


def add_compact_command(add: AddCommand) -> None:
    p = add(
        "compact",
        cmd_compact,
        "summarise the session so far; the model then sees only the summary onward",
    )
    p.add_argument("session")
