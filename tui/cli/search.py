"""`forktree search`: full-text search over every session from the command line."""

from __future__ import annotations

import argparse
from datetime import datetime

from tui.cli.common import AddCommand, emit_json
from tui.engine import Engine, InvalidInputError
from tui.engine.util.humanize import age


def _date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        raise InvalidInputError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cmd_search(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.explore.search import Filters  # with sqlite3: only this command needs it

    filters = Filters(
        provider=args.provider,
        model=args.model,
        project=args.project,
        since=_date(args.since),
        until=_date(args.until),
        archived=args.archived,
    )
    hits = engine.search(args.query, filters, limit=args.limit)
    if args.json:
        emit_json(
            [
                {
                    "session": h.session.id if h.session else None,
                    "title": h.session.title if h.session else None,
                    "message": h.message_id,
                    "role": h.role,
                    "created": h.created,
                    "snippet": h.snippet,
                    "score": h.score,
                }
                for h in hits
            ]
        )
        return 0
    if not hits:
        print("no matches")
    for h in hits:
        title = h.session.title if h.session else "?"
        sid = h.session.short_id if h.session else "?"
        print(f"{sid}  {_one_line(title)}  · {h.role} · {age(h.created)} · msg {h.message_id[:8]}")
        print(f"    {_one_line(h.snippet)}")
    return 0


def add_commands(add: AddCommand) -> None:
    p = add(
        "search",
        cmd_search,
        "full-text search over every message",
        json_flag=True,
    )
    p.add_argument("query")
    p.add_argument("--provider")
    p.add_argument("--model")
    p.add_argument("--project", help="imported Claude Code project (folder name)")
    p.add_argument("--since", help="YYYY-MM-DD")
    p.add_argument("--until", help="YYYY-MM-DD")
    p.add_argument("--archived", action="store_true", help="include archived sessions")
    p.add_argument("--limit", type=int, default=20)
