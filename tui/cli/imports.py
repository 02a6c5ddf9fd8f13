"""`forktree import` and `forktree watch`: the coding agents' sessions (Claude Code,
Codex, OpenCode, one shape for all in engine/importers/agents.py) or a JSON export."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_USAGE, AddCommand, emit_json
from tui.cli.housekeeping import cmd_import_json
from tui.engine import Engine
from tui.engine.importers.agents import AGENTS, Agent, agent, detect, enabled

if TYPE_CHECKING:
    from tui.engine.importers.report import ImportReport

SOURCES = [*(name.replace("_", "-") for name in AGENTS), "all", "json"]


def _run(engine: Engine, spec: Agent, root: Path, quiet: bool) -> ImportReport:
    importer = spec.importer(engine)
    if quiet or not sys.stderr.isatty():
        return importer.run(root)
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    # the bar draws with escape codes of its own: past the terminal-safe stderr
    terminal = Console(file=getattr(sys.stderr, "inner", sys.stderr))
    with Progress(*columns, transient=True, console=terminal) as bar:
        task = bar.add_task(f"importing {spec.label} sessions", total=None)
        return importer.run(root, lambda done, total: bar.update(task, completed=done, total=total))


def _targets(args: argparse.Namespace) -> list[tuple[Agent, Path]] | str:
    """(agent, folder) pairs to import, or the error to print."""
    from tui.engine.config.settings import load_settings

    settings = load_settings()[0]
    if args.source == "all":
        pairs = [(a, a.root(settings.agent_folders)) for a in enabled(settings.agents)]
        found = [(a, root) for a, root in pairs if root.exists()]
        if not found:
            looked = ", ".join(str(root) for _, root in pairs) or "no agent enabled"
            return f"no agent sessions found ({looked})"
        return found
    if args.source in SOURCES:
        spec = agent(args.source)
        root = Path(args.path).expanduser() if args.path else spec.root(settings.agent_folders)
        if not root.exists():
            return f"{root} does not exist (set {spec.home_env} or give a path)"
        return [(spec, root)]
    path = Path(args.source).expanduser()  # a path: whose sessions are these?
    if not path.exists():
        return f"{args.source!r} is neither a source ({', '.join(SOURCES)}) nor a path"
    spec_of_path = detect(path)
    if spec_of_path is None:
        return f"{path} holds no Claude Code, Codex or OpenCode sessions forktree can read"
    return [(spec_of_path, path)]


def cmd_import(engine: Engine, args: argparse.Namespace) -> int:
    if args.source == "json":
        if not args.path:
            print("forktree: error: import json needs a FILE", file=sys.stderr)
            return EXIT_USAGE
        return cmd_import_json(engine, args.path)
    targets = _targets(args)
    if isinstance(targets, str):
        print(f"forktree: error: {targets}", file=sys.stderr)
        return EXIT_USAGE
    summaries: dict[str, dict[str, object]] = {}
    failed = 0
    for spec, root in targets:
        report = _run(engine, spec, root, quiet=args.json)
        summary = summaries[spec.name] = report.to_dict()
        failed += report.count("failed")
        if args.json:
            continue
        print(
            f"{spec.label}: {summary['imported']} imported, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['failed']} failed: "
            f"{summary['sessions']} sessions, {summary['messages']} messages"
        )
        for f in report.files:
            if f.action == "failed":
                print(f"  failed {f.path}: {f.reason}")
            elif f.skipped_lines:
                print(f"  {f.path}: skipped {f.skipped_lines} unreadable line(s)")
    if args.json:
        emit_json(next(iter(summaries.values())) if len(summaries) == 1 else summaries)
    return 0 if not failed else 1


def cmd_watch(engine: Engine, args: argparse.Namespace) -> int:
    """Import the agents' new and growing sessions as they are written, until ctrl+c."""
    import threading

    from tui.engine.config.settings import load_settings
    from tui.engine.importers.watch import agent_roots, watch_agents

    settings = load_settings()[0]
    roots = agent_roots(settings.watch_agents, settings.agent_folders)
    if not roots:
        wanted = enabled(settings.watch_agents)
        looked = ", ".join(str(a.root(settings.agent_folders)) for a in wanted)
        print(
            f"forktree: error: no agent folder to watch ({looked or 'watch_agents is empty'}; "
            "see watch_agents and [agent_folders] in the settings)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    for name, root in roots.items():
        print(f"watching {AGENTS[name].label}: {root}", flush=True)

    def changed(name: str, sessions: list[str]) -> None:
        for sid in sessions:
            session = engine.session(sid)
            print(f"{AGENTS[name].label}: {session.short_id}  {session.title}", flush=True)

    with contextlib.suppress(KeyboardInterrupt):  # ctrl+c: the way to stop watching
        watch_agents(engine, roots, threading.Event(), changed)
    return 0


def add_commands(add: AddCommand) -> None:
    add("watch", cmd_watch, "import the agents' sessions live as they write them (ctrl+c stops)")
    p = add(
        "import",
        cmd_import,
        "import sessions from a coding agent (claude-code, codex, opencode, all of them, "
        "or a PATH whose agent is told from its files) or a forktree JSON export",
        json_flag=True,
    )
    p.add_argument("source", metavar="{" + ",".join(SOURCES) + ",PATH}")
    p.add_argument(
        "path",
        nargs="?",
        help="a folder or one file (default: the agent's own folder: "
        "$CLAUDE_CONFIG_DIR/projects or ~/.claude/projects; $CODEX_HOME/sessions or "
        "~/.codex/sessions; $XDG_DATA_HOME/opencode or ~/.local/share/opencode; "
        "or [agent_folders] in the settings)",
    )
