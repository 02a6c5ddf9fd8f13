"""The `forktree` command: the TUI by default, subcommands for scripts."""

from __future__ import annotations

import argparse
import gc
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from tui.cli.branches import add_commands as add_branch_commands
from tui.cli.housekeeping import add_commands as add_keep_commands
from tui.cli.integrations import cmd_config, cmd_import, cmd_providers
from tui.cli.output import EXIT_USAGE, emit_json
from tui.cli.search import add_commands as add_search_commands
from tui.cli.send import add_command as add_send_command
from tui.engine import Engine, ForktreeError, Message, Session
from tui.engine.explore.export import to_json, to_markdown
from tui.engine.sessions.forest import build_forest
from tui.engine.util.humanize import age, money, terminal_safe


def _session_json(session: Session, children: list[str] | None = None) -> dict[str, Any]:
    data = session.to_dict()
    data["messages"] = session.totals.messages
    if children is not None:
        data["children"] = children
    return data


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


def _line(session: Session) -> str:
    flags = " [archived]" if session.archived else ""
    model = f"{session.provider}/{session.model}" if session.model else session.provider
    return (
        f"{session.short_id}  {session.title}{flags}  · {session.totals.messages} msgs"
        f" · {age(session.updated)} · {model}"
    )


# -- subcommands ---------------------------------------------------------------------------


def cmd_new(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.new_session(
        title=args.title, provider=args.provider, model=args.model, system_prompt=args.system
    )
    if args.json:
        emit_json(_session_json(session))
    else:
        print(session.id)
    return 0


def cmd_fork(engine: Engine, args: argparse.Namespace) -> int:
    fork = engine.fork(
        args.session, at=args.at, title=args.title, model=args.model, provider=args.provider
    )
    if args.json:
        emit_json(_session_json(fork))
    else:
        print(fork.id)
    return 0


def cmd_revert(engine: Engine, args: argparse.Namespace) -> int:
    moved, kept = engine.revert(args.session, args.message)
    if kept is None:
        print(f"{moved.short_id} is already at that message")
    else:
        print(
            f"{moved.short_id} now ends at {moved.head_id[:8] if moved.head_id else '-'}; "
            f"the old tail is kept as {kept.short_id} ({kept.title})"
        )
    return 0


def cmd_list(engine: Engine, args: argparse.Namespace) -> int:
    sessions = engine.sessions(include_archived=args.all)
    if args.json:
        emit_json([_session_json(s) for s in sessions])
    elif not sessions:
        print("no sessions yet: `forktree new` or `forktree demo`")
    else:
        for session in sessions:
            print(_line(session))
    return 0


def _message_text(message: Message) -> list[str]:
    head = f"[{message.id[:8]}] {message.role.value}"
    if message.status.value != "complete":
        head += f" ({message.status.value})"
    lines = [head + " ›"]
    for part in message.parts:
        if part.kind == "text":
            lines.append(part.text)  # type: ignore[union-attr]
        elif part.kind == "thinking":
            lines.append(f"  (thinking) {part.text}")  # type: ignore[union-attr]
        elif part.kind == "tool_use":
            lines.append(f"  (tool {part.name}) {json.dumps(part.input)}")  # type: ignore[union-attr]
        else:
            lines.append(f"  (result) {part.content[:500]}")  # type: ignore[union-attr]
    if message.error:
        lines.append(f"  ! {message.error}")
    return lines


def cmd_show(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.session(args.session)
    messages = engine.transcript(session.id)
    if args.json:
        data = _session_json(session)
        data["transcript"] = [m.to_dict() for m in messages]
        emit_json(data)
        return 0
    t = session.totals
    print(_line(session))
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
            data = _session_json(node.session)
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
            print(f"{prefix}{_line(s)}{at}")
    return 0


def cmd_rename(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.rename(args.session, args.title)
    print(f"{session.short_id} renamed to {session.title}")
    return 0


def cmd_archive(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.archive(args.session, archived=not args.undo)
    print(f"{session.short_id} {'unarchived' if args.undo else 'archived'}")
    return 0


def cmd_rm(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.session(args.session)
    if not args.yes and sys.stdin.isatty():
        answer = input(f"delete {session.short_id} ({session.title})? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("kept")
            return 1
    engine.delete(session.id)
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
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_demo(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.sessions.demo import build_demo

    made = build_demo(engine)
    print(f"added {len(made)} demo sessions with forks and a revert; try `forktree tree`")
    return 0


def cmd_tui(engine: Engine, args: argparse.Namespace) -> int:
    from tui.app.app import ForktreeApp  # collection is paused since tui.launch's first line

    ForktreeApp(engine).run()
    return 0


# -- parser ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forktree",
        description="Chat with LLM agents and browse, fork and compare their sessions. "
        "With no command, opens the full-screen app.",
    )
    parser.add_argument(
        "--home", help="store folder (default: $FORKTREE_HOME or the user data dir)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str,
        func: Callable[[Engine, argparse.Namespace], int],
        help: str,
        json_flag: bool = False,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        if json_flag:
            p.add_argument("--json", action="store_true", help="print JSON")
        return p

    p = add("new", cmd_new, "start a new session and print its id", json_flag=True)
    p.add_argument("--title")
    p.add_argument("--provider", help="provider name (default: the configured one, else echo)")
    p.add_argument("--model")
    p.add_argument("--system", help="system prompt")
    add_send_command(add)
    p = add("fork", cmd_fork, "fork a session at a message (default: its head)", json_flag=True)
    p.add_argument("session")
    p.add_argument("--at", metavar="MESSAGE")
    p.add_argument("--title")
    p.add_argument("--model", help="model for the fork")
    p.add_argument("--provider", help="provider for the fork (see `forktree providers`)")
    p = add("revert", cmd_revert, "move a session back to a message; the old tail is kept")
    p.add_argument("session")
    p.add_argument("message")
    p = add("list", cmd_list, "list sessions, most recent first", json_flag=True)
    p.add_argument("--all", action="store_true", help="include archived sessions")
    p = add("show", cmd_show, "print a session's transcript", json_flag=True)
    p.add_argument("session")
    p = add("tree", cmd_tree, "print sessions as a tree of forks", json_flag=True)
    p.add_argument("--all", action="store_true", help="include archived sessions")
    p = add("rename", cmd_rename, "rename a session")
    p.add_argument("session")
    p.add_argument("title")
    p = add("archive", cmd_archive, "archive a session (hidden by default)")
    p.add_argument("session")
    p.add_argument("--undo", action="store_true", help="unarchive")
    p = add("rm", cmd_rm, "delete a session; its forks move up to its parent")
    p.add_argument("session")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask")
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
    add_branch_commands(add)
    add_search_commands(add)
    add_keep_commands(add)
    p = add("import", cmd_import, "import sessions from another tool (claude-code)", json_flag=True)
    p.add_argument("source", choices=["claude-code", "json"])
    p.add_argument(
        "path",
        nargs="?",
        help="a projects folder or one .jsonl file (default: "
        "$CLAUDE_CONFIG_DIR/projects or ~/.claude/projects)",
    )
    add(
        "providers",
        cmd_providers,
        "list configured providers and whether they answer",
        json_flag=True,
    )
    p = add("config", cmd_config, "print where settings and the store live")
    p.add_argument("what", choices=["path", "store"], help="path: the settings file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", cmd_tui)
    engine: Engine | None = None
    stdout = sys.stdout
    if func is not cmd_tui:  # the app draws the screen itself
        gc.enable()  # tui.launch paused it for the imports
        sys.stdout = TerminalSafeWriter(stdout)  # type: ignore[assignment]
    try:
        engine = Engine.open(args.home)
        return func(engine, args)
    except ForktreeError as exc:
        print(f"forktree: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
    finally:
        sys.stdout = stdout
        if engine is not None:
            for problem in engine.problems:
                print(f"forktree: warning: {problem}", file=sys.stderr)
            engine.close()
