"""Live watch of the agents' own session folders, with a well-kept file-watching library
(watchfiles: inotify / FSEvents, not a polling loop of ours): a new or growing session
file is imported (incrementally) as soon as it settles."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from tui.engine.engine import Engine
from tui.engine.importers.agents import AGENTS, agent

Changed = Callable[[str, list[str]], None]  # (agent, session ids imported again)


def agent_roots(
    wanted: Iterable[str] = tuple(AGENTS), folders: Mapping[str, str] | None = None
) -> dict[str, Path]:
    """The session folders of the agents asked for that exist on this machine."""
    roots: dict[str, Path] = {}
    for name in wanted:
        if name in AGENTS:
            root = AGENTS[name].root(folders)
            if root.is_dir():
                roots[name] = root
    return roots


def import_changed(engine: Engine, name: str, root: Path, paths: Iterable[Path]) -> list[str]:
    """Import what changed of one agent's sessions; the sessions that came in."""
    spec = agent(name)
    units = {u for p in paths if (u := spec.unit_of(p, root)) is not None and u.exists()}
    touched: list[str] = []
    importer = spec.importer(engine)
    for unit in sorted(units):
        report = importer.run(unit)
        if not any(f.action in ("imported", "updated") for f in report.files):
            continue
        for f in report.files:
            made = importer.state.get(f.path, {}).get("sessions", [])
            if isinstance(made, list):
                touched += [str(s) for s in made]
    return touched


def watch_agents(
    engine: Engine, roots: dict[str, Path], stop: threading.Event, changed: Changed
) -> None:
    """Until `stop` is set: each settled batch of file changes under `roots`, imported."""
    from watchfiles import watch

    by_root = {str(root.resolve()): name for name, root in roots.items()}
    for batch in watch(
        *by_root, stop_event=stop, debounce=400, step=100, rust_timeout=500, recursive=True
    ):
        per_agent: dict[str, list[Path]] = {}
        for _change, path in batch:
            owner = next((r for r in by_root if path.startswith(r)), None)
            if owner is not None:
                per_agent.setdefault(owner, []).append(Path(path))
        for owner, paths in per_agent.items():
            touched = import_changed(engine, by_root[owner], Path(owner), paths)
            if touched:
                changed(by_root[owner], touched)
