"""Shared fixtures: every test gets its own store home and config dir; echo never waits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.engine import Engine


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("FORKTREE_HOME", str(home))
    monkeypatch.setenv("FORKTREE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("FORKTREE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FORKTREE_ECHO_DELAY", "0")
    # the agents' own folders: never the machine's real ones (the app watches them)
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "claude"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def engine(isolated_env: Path) -> Iterator[Engine]:
    eng = Engine.open(isolated_env)
    yield eng
    eng.close()
