"""Small UI preferences remembered between runs (the chosen theme)."""

from __future__ import annotations

import json
from typing import Any

from tui.engine.config.paths import config_dir


def _path() -> Any:
    return config_dir() / "ui.json"


def load_ui_state() -> dict[str, Any]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_ui_state(**changes: Any) -> None:
    from tui.engine.store.atomic import write_atomic  # with the store: start-up only reads

    data = load_ui_state() | changes
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(str(path), json.dumps(data, indent=2).encode())
