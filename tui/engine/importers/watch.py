"""Live watch of the agents' own session folders (Claude Code, Codex), with a well-kept
file-watching library (watchfiles: inotify / FSEvents, not a polling loop of ours): a
new or growing session file is imported (incrementally) as soon as it settles."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from tui.engine.engine import Engine

AGENTS = ("claude_code", "codex")
Changed = Callable[[str, list[str]], None]  # (agent, session ids imported again)


def agent_roots(wanted: Iterable[str] = AGENTS) -> dict[str, Path]:
    """The session folders of the agents asked for that exist on this machine."""
    roots: dict[str, Path] = {}
    for agent in wanted:
        if agent == "claude_code":
            from tui.engine.importers.claude_code import default_root
        elif agent == "codex":
            from tui.engine.importers.codex import default_root
        else:
            continue
        root = default_root()
        if root.is_dir():
            roots[agent] = root
    return roots


def import_changed(engine: Engine, agent: str, paths: Iterable[Path]) -> list[str]:
    """Import the changed session files of one agent; the sessions that came in."""
    if agent == "codex":
        from tui.engine.importers.codex import CodexImporter as Importer
    else:
        from tui.engine.importers.claude_code import ClaudeCodeImporter as Importer  # type: ignore[assignment]
    touched: list[str] = []
    importer = Importer(engine)
    for path in sorted(set(paths)):
        if path.suffix != ".jsonl" or not path.is_file():
            continue
        main = path
        if agent == "claude_code" and "subagents" in path.parts:  # goes with its session
            main = Path(*path.parts[: path.parts.index("subagents")]).with_suffix(".jsonl")
        report = importer.run(main)
        made = importer.state.get(str(main.resolve()), {}).get("sessions", [])
        if any(f.action in ("imported", "updated") for f in report.files) and isinstance(
            made, list
        ):
            touched += [str(s) for s in made]
    return touched


def watch_agents(
    engine: Engine, roots: dict[str, Path], stop: threading.Event, changed: Changed
) -> None:
    """Until `stop` is set: each settled batch of file changes under `roots`, imported."""
    from watchfiles import watch

    by_root = {str(root.resolve()): agent for agent, root in roots.items()}
    for batch in watch(
        *by_root, stop_event=stop, debounce=400, step=100, rust_timeout=500, recursive=True
    ):
        per_agent: dict[str, list[Path]] = {}
        for _change, name in batch:
            path = Path(name)
            agent = next((a for r, a in by_root.items() if name.startswith(r)), None)
            if agent is not None:
                per_agent.setdefault(agent, []).append(path)
        for agent, paths in per_agent.items():
            touched = import_changed(engine, agent, paths)
            if touched:
                changed(agent, touched)
