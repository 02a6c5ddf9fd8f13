"""Subcommands that talk to the world outside the store: providers, settings paths,
importing from Claude Code or a forktree JSON export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import EXIT_USAGE, AddCommand, emit_json
from tui.cli.housekeeping import cmd_import_json
from tui.engine import Engine


def cmd_providers(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.config.settings import load_settings
    from tui.engine.providers.registry import configured, default_provider_name, reachable

    settings, problems = load_settings()
    for problem in problems:
        print(f"forktree: warning: {problem}", file=sys.stderr)
    default = default_provider_name(settings)
    rows = []
    for info in configured(settings).values():
        up = (
            True
            if info.kind == "echo"
            else reachable(
                info.base_url
                or (
                    "https://api.anthropic.com"
                    if info.kind == "anthropic"
                    else "https://api.openai.com"
                )
            )
        )
        rows.append(
            {
                "name": info.name,
                "kind": info.kind,
                "model": info.model,
                "base_url": info.base_url,
                "key_from": info.key_source,
                "key_set": info.has_key,
                "reachable": up,
                "default": info.name == default,
            }
        )
    if args.json:
        emit_json(rows)
        return 0
    for r in rows:
        key = (
            ""
            if r["kind"] == "echo"
            else (
                f"  key: {r['key_from']} {'set' if r['key_set'] else 'missing'}"
                if r["key_from"]
                else "  key: none"
            )
        )
        where = f"  {r['base_url']}" if r["base_url"] else ""
        print(
            f"{'*' if r['default'] else ' '} {r['name']:<10} {r['model']:<22}"
            f"{'reachable' if r['reachable'] else 'UNREACHABLE'}{where}{key}"
        )
    return 0


def cmd_config(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.config.settings import settings_path

    if args.what == "store":
        from tui.engine.store.choose import describe

        print(describe(engine.store))
        return 0
    print(settings_path())
    return 0


def cmd_import(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.importers import claude_code, codex, opencode

    if args.source == "json":
        if not args.path:
            print("forktree: error: import json needs a FILE", file=sys.stderr)
            return EXIT_USAGE
        return cmd_import_json(engine, args.path)
    module = {"codex": codex, "opencode": opencode}.get(args.source, claude_code)
    where = {"codex": "CODEX_HOME", "opencode": "XDG_DATA_HOME"}.get(
        args.source, "CLAUDE_CONFIG_DIR"
    )
    root = Path(args.path).expanduser() if args.path else module.default_root()
    if not root.exists():
        print(
            f"forktree: error: {root} does not exist (set {where} or give a path)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    importer: claude_code.ClaudeCodeImporter | codex.CodexImporter | opencode.OpenCodeImporter
    if args.source == "codex":
        importer = codex.CodexImporter(engine)
    elif args.source == "opencode":
        importer = opencode.OpenCodeImporter(engine)
    else:
        importer = claude_code.ClaudeCodeImporter(engine)
    if sys.stderr.isatty() and not args.json:
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        columns = (
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
        )
        from rich.console import Console

        # the bar draws with escape codes of its own: past the terminal-safe stderr
        terminal = Console(file=getattr(sys.stderr, "inner", sys.stderr))
        with Progress(*columns, transient=True, console=terminal) as bar:
            label = {"codex": "Codex", "opencode": "OpenCode"}.get(args.source, "Claude Code")
            task = bar.add_task(f"importing {label} sessions", total=None)
            report = importer.run(
                root, lambda done, total: bar.update(task, completed=done, total=total)
            )
    else:
        report = importer.run(root)
    summary = report.to_dict()
    if args.json:
        emit_json(summary)
        return 0 if not summary["failed"] else 1
    print(
        f"{summary['imported']} imported, {summary['updated']} updated, "
        f"{summary['unchanged']} unchanged, {summary['failed']} failed: "
        f"{summary['sessions']} sessions, {summary['messages']} messages"
    )
    for f in report.files:
        if f.action == "failed":
            print(f"  failed {f.path}: {f.reason}")
        elif f.skipped_lines:
            print(f"  {f.path}: skipped {f.skipped_lines} unreadable line(s)")
    return 0 if not summary["failed"] else 1


def cmd_watch(engine: Engine, args: argparse.Namespace) -> int:
    """Import the agents' new and growing sessions as they are written, until ctrl+c."""
    import contextlib
    import threading

    from tui.engine.config.settings import load_settings
    from tui.engine.importers.watch import agent_roots, watch_agents

    roots = agent_roots(load_settings()[0].watch_agents)
    if not roots:
        print(
            "forktree: error: no agent folder to watch (~/.claude/projects, "
            "~/.codex/sessions; see watch_agents in the settings)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    for agent, root in roots.items():
        print(f"watching {agent}: {root}", flush=True)

    def changed(agent: str, sessions: list[str]) -> None:
        for sid in sessions:
            print(
                f"{agent}: {engine.session(sid).short_id}  {engine.session(sid).title}", flush=True
            )

    with contextlib.suppress(KeyboardInterrupt):  # ctrl+c: the way to stop watching
        watch_agents(engine, roots, threading.Event(), changed)
    return 0


def add_commands(add: AddCommand) -> None:
    add("watch", cmd_watch, "import the agents' sessions live as they write them (ctrl+c stops)")
    p = add(
        "import",
        cmd_import,
        "import sessions from another tool (claude-code, codex) or a JSON export",
        json_flag=True,
    )
    p.add_argument("source", choices=["claude-code", "codex", "opencode", "json"])
    p.add_argument(
        "path",
        nargs="?",
        help="a folder or one .jsonl file (default: $CLAUDE_CONFIG_DIR/projects or "
        "~/.claude/projects; codex: $CODEX_HOME/sessions or ~/.codex/sessions; opencode: "
        "$XDG_DATA_HOME/opencode or ~/.local/share/opencode)",
    )
    add(
        "providers",
        cmd_providers,
        "list configured providers and whether they answer",
        json_flag=True,
    )
    p = add("config", cmd_config, "print where settings and the store live")
    p.add_argument("what", choices=["path", "store"], help="path: the settings file")
