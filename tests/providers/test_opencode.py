"""The OpenCode backend against a fake `opencode` executable: an imported OpenCode
session goes on in OpenCode (`opencode run --session`), a fork at its end with --fork."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.sessions.model import Origin, ToolResultPart, ToolUsePart
from tui.engine.turns.runtime import SessionRuntime

FAKE = Path(__file__).resolve().parents[1] / "fakes" / "fake_opencode.py"


@pytest.fixture
def opencode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "opencode"
    exe.write_text(f'#!/bin/sh\nexec {sys.executable} {FAKE} "$@"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    log = tmp_path / "opencode-runs.jsonl"
    monkeypatch.setenv("FAKE_OPENCODE_LOG", str(log))
    return log


def _imported(engine: Engine, folder: Path) -> str:
    session = engine.new_session(
        provider="opencode",
        origin=Origin(kind="opencode", source_id="ses_abc", cwd=str(folder)),
    )
    engine.append(session.id, "user", "earlier")
    engine.append(session.id, "assistant", "answer")
    return session.id


async def test_an_opencode_session_goes_on_and_forks_at_its_end(
    engine: Engine, opencode: Path, tmp_path: Path
) -> None:
    sid = _imported(engine, tmp_path)
    result = await SessionRuntime(engine, sid).send("--help me")  # a prompt, not a flag
    assert result.outcome == "success", result.error
    run = json.loads(opencode.read_text().splitlines()[0])
    assert run["argv"][:5] == ["run", "--format", "json", "--session", "ses_abc"]
    assert run["argv"][-2:] == ["--", "--help me"] and run["cwd"] == str(tmp_path)
    reply = engine.transcript(sid)[-1]
    assert reply.text == "Done: --help me" and reply.usage.cost_usd == pytest.approx(0.02)
    assert [type(p) for p in reply.parts][:2] == [ToolUsePart, ToolResultPart]
    fork = engine.fork(sid)
    assert (await SessionRuntime(engine, fork.id).send("other way")).outcome == "success"
    forked = json.loads(opencode.read_text().splitlines()[1])
    assert "--fork" in forked["argv"]
    assert engine.session(fork.id).origin.source_id == "ses_forked"
    assert engine.session(sid).origin.source_id == "ses_abc"
