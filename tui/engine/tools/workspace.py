"""Where a session's tools may read and write: its folder, plus any the user added."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tui.engine.errors import InvalidInputError


class ToolError(InvalidInputError):
    """A tool call that cannot be carried out; the message goes back to the model."""


class Workspace:
    """Resolves paths the model names and refuses any that lands outside the roots,
    whether by `..`, an absolute path or a symlink pointing elsewhere."""

    def __init__(self, root: str | Path, extra: Iterable[str | Path] = ()) -> None:
        self.root = Path(root).resolve()
        self.roots = (self.root, *(Path(p).expanduser().resolve() for p in extra))

    def contains(self, path: Path) -> bool:
        return any(path == r or path.is_relative_to(r) for r in self.roots)

    def resolve(self, path: str) -> Path:
        """The real path (symlinks followed) of `path`, relative to the root."""
        if not isinstance(path, str) or not path.strip():
            raise ToolError("a path is required")
        if "\x00" in path:
            raise ToolError("the path holds a NUL character")
        candidate = Path(path)
        if not candidate.is_absolute():
            candidate = self.root / candidate
        try:
            real = candidate.resolve(strict=False)
        except (OSError, RuntimeError) as exc:  # a symlink loop, among others
            raise ToolError(f"{path}: cannot be resolved ({exc})") from exc
        if not self.contains(real):
            raise ToolError(
                f"{path}: outside the session's folder {self.root}; tools may only use "
                "paths inside it (add folders under [tools] roots in the settings)"
            )
        return real

    def relative(self, path: Path) -> str:
        """How a path is shown to the model: relative to the root when inside it."""
        try:
            return str(path.relative_to(self.root)) or "."
        except ValueError:
            return str(path)

    def walk(self, start: Path) -> Iterable[Path]:
        """Files under `start`, not following symlinked folders, skipping `.git`."""
        for folder, dirs, files in os.walk(start, followlinks=False):
            dirs[:] = sorted(d for d in dirs if d != ".git")
            for name in sorted(files):
                yield Path(folder) / name
