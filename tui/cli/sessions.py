"""Subcommands on whole sessions: new, list, show, tree, rename, archive, rm, export, demo."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from tui.cli.common import (
    AddCommand,
    confirm_delete,
    emit_json,
    known_provider,
    session_json,
    session_line,
)
from tui.cli.options import add_option_flags, options_from
from tui.engine import Engine, InvalidInputError, Message
from tui.engine.explore.export import to_json, to_markdown
from tui.engine.sessions.forest import build_forest
from tui.engine.sessions.model import FileChangePart, TextPart, ThinkingPart, ToolUsePart
from tui.engine.sessions.options import NO_OPTIONS
from tui.engine.util.humanize import money


def cmd_new(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.new_session(
        title=args.title,
        provider=known_provider(args.provider),
        model=args.model,
        system_prompt=args.system or None,
        options=options_from(args, NO_OPTIONS),
        cwd=os.getcwd(),
    )
    if args.json:
        emit_json(session_json(session))
    else:
        print(session.id)
    return 0


def cmd_list(engine: Engine, args: argparse.Namespace) -> int:
    sessions = engine.sessions(include_archived=args.all)
    if args.json:
        emit_json([session_json(s) for s in sessions])
    elif not sessions:
        print("no sessions yet: `forktree new` or `forktree demo`")
    else:
        for session in sessions:
            print(session_line(session))
    return 0


def _message_text(message: Message) -> list[str]:
    head = f"[{message.id[:8]}] {message.role.value}"
    if message.status.value != "complete":
        head += f" ({message.status.value})"
    lines = [head + " ›"]
    for part in message.parts:
        if isinstance(part, TextPart):
            lines.append(part.text)
        elif isinstance(part, ThinkingPart):
            lines.append(f"  (thinking) {part.text}")
        elif isinstance(part, ToolUsePart):
            lines.append(f"  (tool {part.name}) {json.dumps(part.input)}")
        elif isinstance(part, FileChangePart):
            lines.append(f"  (changed {part.path}) +{part.added} -{part.removed}")
        else:
            lines.append(f"  (result) {part.content[:500]}")
    if message.error:
        lines.append(f"  ! {message.error}")
    return lines


def cmd_show(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.session(args.session)
    messages = engine.transcript(session.id)
    if args.json:
        data = session_json(session)
        data["transcript"] = [m.to_dict() for m in messages]
        emit_json(data)
        return 0
    t = session.totals
    print(session_line(session))
    print(f"tokens {t.input_tokens} in / {t.output_tokens} out · {money(t.cost_usd)}")
    for message in messages:
        print()
        print("\n".join(_message_text(message)))
    return 0


def cmd_tree(engine: Engine, args: argparse.Namespace) -> int:
    sessions = engine.sessions(include_archived=args.all)
    forest = build_forest(sessions)
    if args.json:

        def nest(node: Any) -> dict[str, Any]:
            data = session_json(node.session)
            data["children"] = [nest(c) for c in node.children]
            return data

        emit_json([nest(n) for n in forest])
        return 0
    if not forest:
        print("no sessions yet: `forktree new` or `forktree demo`")
    for root in forest:
        for depth, node in root.walk():
            s = node.session
            at = f" @ {s.fork_point_id[:8]}" if depth and s.fork_point_id else ""
            prefix = "  " * (depth - 1) + "└ " if depth else ""
            print(f"{prefix}{session_line(s)}{at}")
    return 0


def cmd_rename(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.rename(args.session, args.title)
    if args.json:
        emit_json(session_json(session))
    else:
        print(f"{session.short_id} renamed to {session.title}")
    return 0


def cmd_archive(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.archive(args.session, archived=not args.undo)
    if args.json:
        emit_json(session_json(session))
    else:
        print(f"{session.short_id} {'unarchived' if args.undo else 'archived'}")
    return 0


def cmd_rm(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.session(args.session)
    question = f"delete {session.short_id} ({session.title})?"
    if not args.yes and not confirm_delete(session.short_id, question):
        return 1
    if args.with_workspace and session.origin.workspace:
        from tui.engine.files.worktree import remove_workspace

        print(remove_workspace(engine, session.id), file=sys.stderr)  # refuses if dirty
        session = engine.session(session.id)
    engine.delete(session.id)
    if session.origin.workspace and not args.json:
        print(
            f"its folder {session.origin.workspace} is kept (never removed unasked); "
            "`forktree rm --with-workspace` removes both"
        )
    if args.json:
        emit_json({"deleted": session.id, "title": session.title})
    else:
        print(f"{session.short_id} deleted")
    return 0


def cmd_export(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.session(args.session)
    if args.tree:
        from tui.engine.explore.export import tree_to_json_data

        family = engine.family(session.id)
        ids = engine.store.family_message_ids(session.root_id)
        messages = [engine.store.get_message(session.root_id, mid) for mid in ids]
        if args.format == "md":
            text = "\n\n---\n\n".join(to_markdown(s, engine.transcript(s.id)) for s in family)
        else:
            text = json.dumps(tree_to_json_data(family, messages), indent=2, ensure_ascii=False)
            text += "\n"
    else:
        messages = engine.transcript(session.id)
        text = to_markdown(session, messages) if args.format == "md" else to_json(session, messages)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(f"cannot write {args.output}: {exc.strerror}") from None
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_demo(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.sessions.demo import build_demo

    made = build_demo(engine)
    print(f"added {len(made)} demo sessions with forks and a revert; try `forktree tree`")
    return 0


def cmd_stats(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.explore.stats import session_stats

    stats = session_stats(engine, args.session)
    if args.json:
        emit_json(stats)
        return 0
    print(f"{stats['session_id'][:8]}  {stats['title']}")
    for scope in ("session", "branch", "family"):
        c = stats[scope]
        tools = ", ".join(f"{k}×{v}" for k, v in c["per_tool"].items()) or "no tools"
        print(
            f"  {scope:<8} {c['messages']} msgs · {c['prompts']} prompts · {c['steps']} steps"
            f" · {c['tool_calls']} tool calls ({c['tool_errors']} failed) · "
            f"{c['input_tokens']}/{c['output_tokens']} tok · {money(c['cost_usd'])} · {tools}"
        )
    return 0


def add_commands(add: AddCommand) -> None:
    p = add("new", cmd_new, "start a new session and print its id", json_flag=True)
    p.add_argument("--title")
    p.add_argument("--provider", help="provider name (default: the configured one, else echo)")
    p.add_argument("--model")
    add_option_flags(p)
    p = add("list", cmd_list, "list sessions, most recent first", json_flag=True)
    p.add_argument("--all", action="store_true", help="include archived sessions")
    p = add("show", cmd_show, "print a session's transcript", json_flag=True)
    p.add_argument("session")
    p = add("tree", cmd_tree, "print sessions as a tree of forks", json_flag=True)
    p.add_argument("--all", action="store_true", help="include archived sessions")
    p = add("rename", cmd_rename, "rename a session", json_flag=True)
    p.add_argument("session")
    p.add_argument("title")
    p = add("archive", cmd_archive, "archive a session (hidden by default)", json_flag=True)
    p.add_argument("session")
    p.add_argument("--undo", action="store_true", help="unarchive")
    p = add("rm", cmd_rm, "delete a session; its forks move up to its parent", json_flag=True)
    p.add_argument("session")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask")
    p.add_argument(
        "--with-workspace",
        action="store_true",
        help="also remove the fork's own folder (refused while it has uncommitted changes)",
    )
    p = add("export", cmd_export, "export a session as Markdown or JSON")
    p.add_argument("session")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument(
        "--tree",
        action="store_true",
        help="the whole family: every fork (JSON re-imports losslessly)",
    )
    add("demo", cmd_demo, "add demo sessions to the store")
    p = add(
        "stats",
        cmd_stats,
        "messages, steps, tool calls, tokens and cost of a session, its branch and family",
        json_flag=True,
    )
    p.add_argument("session")
