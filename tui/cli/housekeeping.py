"""`forktree cleanup` and `forktree import json`: keeping a store tidy, moving trees."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tui.cli.common import AddCommand, confirm_delete, emit_json, session_json
from tui.engine import Engine, InvalidInputError, Session
from tui.engine.explore.cleanup import apply, candidates
from tui.engine.importers.json_import import import_json
from tui.engine.util.humanize import age


def cmd_cleanup(engine: Engine, args: argparse.Namespace) -> int:
    found = candidates(engine, args.older_than, args.match, include_archived=args.delete)
    verb = "delete" if args.delete else "archive"
    if args.json:
        return _cleanup_json(engine, args, found, verb)
    for s in found:
        folder = f" · own folder {s.origin.workspace} (kept)" if s.origin.workspace else ""
        print(f"{s.short_id}  {s.title}  · {s.totals.messages} msgs · {age(s.updated)}{folder}")
    if not args.apply:
        print(f"dry run: would {verb} {len(found)} session(s); add --apply to do it")
        return 0
    if args.delete and not args.yes and found:
        count = f"{len(found)} session(s)"
        if not confirm_delete(count, f"delete these {count}?"):
            return 1
    done = apply(engine, found, delete=args.delete)
    print(f"{verb}d {done} session(s)")
    kept = [s for s in found if s.origin.workspace]
    if kept and args.delete:
        print(
            f"{len(kept)} of them had a folder of their own, kept (never removed unasked): "
            + ", ".join(str(s.origin.workspace) for s in kept)
        )
    return 0


def _cleanup_json(engine: Engine, args: argparse.Namespace, found: list[Session], verb: str) -> int:
    """--json: the candidates and what was done; a JSON run never asks (it needs -y)."""
    listed = [session_json(s) for s in found]
    if args.apply and args.delete and found and not args.yes:
        raise InvalidInputError("cleanup --delete --json needs -y: a script cannot be asked")
    done = apply(engine, found, delete=args.delete) if args.apply else 0
    emit_json({"action": verb, "applied": args.apply, "done": done, "sessions": listed})
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


def cmd_doctor(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.store.doctor import doctor
    from tui.engine.store.tinydb_store import TinyDBStore

    if not isinstance(engine.store, TinyDBStore):
        raise InvalidInputError("doctor checks the embedded TinyDB store; this one is not")
    report = doctor(engine.store, repair=args.repair)
    if args.json:
        emit_json(report.to_dict())
    else:
        print(
            f"checked {report.sessions} session(s), {report.messages} message(s) "
            f"in {report.seconds:.2f}s"
        )
        for finding in report.findings:
            print(f"  {finding.kind}: {finding.detail}")
            if finding.fixed:
                print(f"    fixed: {finding.fixed}")
        left = report.open_problems
        if not report.findings:
            print("no problems found")
        elif left and not args.repair:
            print(f"{len(left)} problem(s); `forktree doctor --repair` fixes them")
        elif left:
            print(f"{len(left)} problem(s) could not be fixed")
    return 1 if report.open_problems else 0


def add_commands(add: AddCommand) -> None:
    p = add(
        "doctor",
        cmd_doctor,
        "check the store's invariants; --repair fixes them (never deleting a message)",
        json_flag=True,
    )
    p.add_argument("--repair", action="store_true", help="fix what the check finds")
    p = add(
        "cleanup",
        cmd_cleanup,
        "archive (or delete) old sessions or ones matching a search; a dry run first",
        json_flag=True,
    )
    p.add_argument("--older-than", type=float, metavar="DAYS")
    p.add_argument("--match", metavar="QUERY", help="sessions holding a full-text match")
    p.add_argument("--delete", action="store_true", help="delete instead of archiving")
    p.add_argument("--apply", action="store_true", help="do it (default: only list)")
    p.add_argument("-y", "--yes", action="store_true", help="delete without asking")
    add_compact_command(add)


def cmd_compact(engine: Engine, args: argparse.Namespace) -> int:
    import asyncio

    from tui.engine.turns.compaction import compact

    message = asyncio.run(compact(engine, engine.session(args.session).id))
    if args.json:
        emit_json(message.to_dict())
    else:
        print(message.text)
    return 0


def add_compact_command(add: AddCommand) -> None:
    p = add(
        "compact",
        cmd_compact,
        "summarise the session so far; the model then sees only the summary onward",
        json_flag=True,
    )
    p.add_argument("session")
