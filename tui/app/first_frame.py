"""The first frame of the last start-up, drawn again while the next one loads.

A start-up draws the same screen as the one before it when nothing it shows changed:
the store's session index, the settings and themes, the app's code, the terminal's
size and the theme. The app saves that frame once it is idle after start-up, and again
on quitting when the screen is what a start-up shows (the most recent session at its
end, nothing typed, nothing on top). The next start draws it before it loads the
engine, the main screen and the Markdown and syntax-highlighting stack; the main
screen then replaces it, as it is. Ages ("2h") may be a little out of date for that
moment. Only the embedded store has a frame (a shared store's version is on a server).

This module loads with the app's first frame: the standard library, Rich and the paths.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.segment import Segment
from rich.style import Style

from tui.engine.config.paths import cache_dir, config_dir

VERSION = 1
APP_DIR = Path(__file__).resolve().parent
Line = list[tuple[str, str]]  # (text, style) runs


@dataclass(frozen=True, slots=True)
class CachedFrame:
    size: tuple[int, int]
    theme: str
    lines: list[Line]

    def fits(self, size: tuple[int, int], theme: str) -> bool:
        return self.size == size and self.theme == theme

    def segments(self, y: int) -> list[Segment]:
        return [Segment(text, Style.parse(style) if style else None) for text, style in
                self.lines[y]] if y < len(self.lines) else []  # fmt: skip


def _sig(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _tree_sig(folder: Path, suffixes: tuple[str, ...]) -> str:
    """One digest of the sizes and times of a folder tree's files with these endings."""
    digest = hashlib.blake2b(digest_size=12)
    stack = [folder]
    while stack:
        try:
            entries = sorted(os.scandir(stack.pop()), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append(Path(entry.path))
            elif entry.name.endswith(suffixes):
                st = entry.stat()
                digest.update(f"{entry.path}:{st.st_size}:{st.st_mtime_ns};".encode())
    return digest.hexdigest()


def version_of(home: Path) -> dict[str, str]:
    """What the first frame depends on, besides size and theme (a few hundred stats)."""
    config = config_dir()
    return {
        "format": str(VERSION),
        "home": str(home.resolve()),
        "store": _sig(home / "store.json"),
        "index": _tree_sig(home / "index", (".json",)),
        "settings": _sig(config / "settings.toml"),
        "themes": _tree_sig(config / "themes", (".toml",)),
        "code": _tree_sig(APP_DIR, (".py", ".tcss")),
    }


def app_arguments(argv: list[str]) -> tuple[str | None, str | None] | None:
    """(--home, --store) when `argv` only opens the app on its start (no command, no
    -c); else None: those start-ups draw other screens."""
    found: dict[str, str | None] = {"--home": None, "--store": None}
    items = iter(argv)
    for item in items:
        name, equals, value = item.partition("=")
        if name not in found:
            return None
        found[name] = value if equals else next(items, None)
        if found[name] is None:
            return None
    return found["--home"], found["--store"]


def launch_key(argv: list[str]) -> str:
    """Names the frame of a way of starting (the arguments and the variables that pick
    the store and settings): another way of starting has a frame of its own."""
    env = [os.environ.get(name, "") for name in
           ("FORKTREE_HOME", "FORKTREE_STORE", "FORKTREE_CONFIG_DIR")]  # fmt: skip
    return json.dumps([argv, env])  # not the folder: a plain start shows none of it


def frame_path(key: str) -> Path:
    name = hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    return cache_dir() / "first-frame" / f"{name}.json"


def load(key: str) -> CachedFrame | None:
    """The frame saved for this way of starting, if nothing it shows changed since."""
    try:
        data = json.loads(frame_path(key).read_text(encoding="utf-8"))
        if data["version"] != version_of(Path(data["version"]["home"])):
            return None
        width, height = data["size"]
        lines = [[(str(text), str(style)) for text, style in line] for line in data["lines"]]
        return CachedFrame((int(width), int(height)), str(data["theme"]), lines)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none saved, or damaged: a start-up as usual


def save(key: str, version: dict[str, str], size: tuple[int, int], theme: str,
         strips: Iterable[Iterable[Segment]]) -> None:  # fmt: skip
    """Keep this frame for the next start-up (written whole, or not at all)."""
    lines = [list(_runs(strip)) for strip in strips]
    data = {"version": version, "size": list(size), "theme": theme, "lines": lines}
    path = frame_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")  # a writer each
        temp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        pass  # a cache: the next start-up is only slower


def _runs(segments: Iterable[Segment]) -> Iterator[tuple[str, str]]:
    """A line's segments as (text, style) runs, neighbours of one style joined."""
    text, style = "", ""
    for segment in segments:
        if segment.control:
            continue
        this = str(segment.style) if segment.style else ""
        if this == style:
            text += segment.text
            continue
        if text:
            yield text, style
        text, style = segment.text, this
    if text:
        yield text, style
