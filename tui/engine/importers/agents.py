"""One shape for every coding agent forktree reads: where its sessions live, how to tell
its files apart, the importer, which changed file to import again, and the command that
continues a session in the agent itself. The next agent is one module and one entry here.

Each agent's module is imported only when that agent is used (start-up stays light)."""

from __future__ import annotations

import importlib
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tui.engine.engine import Engine
    from tui.engine.importers.report import ImportReport

Progress = Callable[[int, int], None]


class Importer(Protocol):
    """What every agent's importer does: an incremental import of a folder or file."""

    state: dict[str, Any]  # per source: its signature and the sessions it made

    def run(self, root: Path | None = None, progress: Progress | None = None) -> ImportReport: ...


@dataclass(frozen=True, slots=True)
class Agent:
    name: str  # in the settings and the CLI (with `-` for `_`)
    label: str  # for people
    home_env: str  # the variable that moves its home
    module: str  # default_root(), IMPORTER, detect(path), unit_of(path)
    provider: str  # the provider that continues its sessions in the agent
    resume: str  # shell command continuing a session: {id} is its own session id
    badge: str  # two letters marking its sessions in the tree

    def _mod(self) -> Any:
        return importlib.import_module(self.module)

    def default_root(self) -> Path:
        return self._mod().default_root()

    def root(self, folders: Mapping[str, str] | None = None) -> Path:
        """Its folder: the settings' `[agent_folders]` entry, else its own default."""
        chosen = (folders or {}).get(self.name)
        return Path(chosen).expanduser() if chosen else self.default_root()

    def importer(self, engine: Engine) -> Importer:
        return self._mod().IMPORTER(engine)

    def detect(self, path: Path) -> bool:
        """Whether `path` (a file or folder) holds this agent's sessions."""
        return bool(self._mod().detect(path))

    def unit_of(self, changed: Path, root: Path) -> Path | None:
        """What to import again when `changed` (under `root`) changed; None: nothing."""
        return self._mod().unit_of(changed, root)

    def resume_command(self, cwd: str | None, source_id: str) -> str:
        command = self.resume.format(id=shlex.quote(source_id))
        return f"cd {shlex.quote(cwd)} && {command}" if cwd else command


AGENTS: dict[str, Agent] = {
    a.name: a
    for a in (
        Agent(
            "claude_code",
            "Claude Code",
            "CLAUDE_CONFIG_DIR",
            "tui.engine.importers.claude_code",
            "claude-code",
            "claude --resume {id}",
            "CC",
        ),
        Agent(
            "codex",
            "Codex",
            "CODEX_HOME",
            "tui.engine.importers.codex",
            "codex",
            "codex resume {id}",
            "CX",
        ),
        Agent(
            "opencode",
            "OpenCode",
            "XDG_DATA_HOME",
            "tui.engine.importers.opencode",
            "opencode",
            "opencode --session {id}",
            "OC",
        ),
    )
}


def agent(name: str) -> Agent:
    """By its settings name (`claude_code`) or CLI name (`claude-code`); KeyError if none."""
    return AGENTS[name.replace("-", "_")]


def agent_of(origin_kind: str) -> Agent | None:
    """The agent an imported session came from (its origin kind is the agent's name)."""
    return AGENTS.get(origin_kind)


def detect(path: Path) -> Agent | None:
    """The agent whose sessions `path` holds, if any reads it."""
    return next((a for a in AGENTS.values() if a.detect(path)), None)


def enabled(names: Iterable[str]) -> list[Agent]:
    return [AGENTS[n] for n in names if n in AGENTS]


def detect_jsonl(path: Path, home_folder: str, is_one: Callable[[Path], bool]) -> bool:
    """`path` is one of the agent's JSONL files, or a folder of them (its home, with the
    files under `home_folder`): the first few files found decide."""
    if path.is_file():
        return is_one(path)
    if (path / home_folder).is_dir():
        path = path / home_folder
    return any(is_one(p) for _, p in zip(range(5), path.rglob("*.jsonl"), strict=False))
