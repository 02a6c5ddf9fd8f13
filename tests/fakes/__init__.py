"""Stand-ins for what tests cannot run for real: agent CLIs, model servers, MCP."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.sessions.model import Origin

FAKES = Path(__file__).resolve().parent


def put_on_path(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`command` on the PATH, running `tests/fakes/fake_<command>.py`; the file where
    the fake logs its runs (the fake reads it from FAKE_<COMMAND>_LOG)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    exe = bin_dir / command
    exe.write_text(f'#!/bin/sh\nexec {sys.executable} {FAKES / f"fake_{command}.py"} "$@"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    log = tmp_path / f"{command}-runs.jsonl"
    monkeypatch.setenv(f"FAKE_{command.upper()}_LOG", str(log))
    return log


def imported_session(engine: Engine, agent: str, source_id: str, cwd: Path) -> str:
    """A session as an import of `agent`'s session `source_id` (run in `cwd`) leaves it:
    a prompt and an answer, continued through that agent's provider."""
    session = engine.new_session(
        provider=agent, origin=Origin(kind=agent, source_id=source_id, cwd=str(cwd))
    )
    engine.append(session.id, "user", "earlier prompt")
    engine.append(session.id, "assistant", "earlier answer")
    return session.id
