"""Themes from TOML files: the shipped `themes/` folder and the user's themes folder."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.color import Color
from textual.theme import Theme

from tui.engine.config.paths import config_dir


def shipped_themes_dir() -> Path:
    """tui/themes/ in an installed wheel; the repository's themes/ folder in a checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "themes"
    return installed if installed.is_dir() else package.parent / "themes"


SHIPPED = shipped_themes_dir()
FIELDS = {
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "warning",
    "error",
    "success",
    "dark",
    "variables",
}


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def load_theme(path: Path) -> Theme:
    """One theme file; raises ValueError with a readable reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    name = data.get("name")
    if not isinstance(name, str) or not name or "primary" not in data:
        raise ValueError(f"{path}: a theme needs `name` and `primary`")
    unknown = set(data) - FIELDS - {"name"}
    if unknown:
        raise ValueError(f"{path}: unknown field(s) {', '.join(sorted(unknown))}")
    for key, value in data.items():
        if key in ("name", "dark", "variables"):
            continue
        try:
            Color.parse(value)
        except Exception:  # Color raises its own error types for bad input
            raise ValueError(f"{path}: {key} = {value!r} is not a colour") from None
    try:
        return Theme(name=name, **{k: v for k, v in data.items() if k != "name"})
    except Exception as exc:  # Theme validates colours
        raise ValueError(f"{path}: {exc}") from None


def load_themes(folders: list[Path] | None = None) -> tuple[list[Theme], list[str]]:
    """Every theme in the folders, and one message per bad file (never fatal)."""
    themes: list[Theme] = []
    problems: list[str] = []
    for folder in folders if folders is not None else [SHIPPED, user_themes_dir()]:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                themes.append(load_theme(path))
            except ValueError as exc:
                problems.append(str(exc))
    return themes, problems
