"""Agents running right now: what Codex writes to a rollout in its sessions folder shows
in the open app (watchfiles, in a thread), and the session is marked live in the tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.importers.test_codex import _current, _say, _write
from tui.app.app import ForktreeApp
from tui.engine import Engine
from tui.engine.importers.codex import CodexImporter

from .conftest import main_screen, visible_text, wait_for


async def test_what_the_agent_writes_shows_in_the_open_session(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    rollout = _write(tmp_path / "codex" / "sessions" / "2026" / "r.jsonl", _current("live-1"))
    CodexImporter(engine).run(rollout)
    (session,) = engine.sessions()
    app = ForktreeApp(engine, start=session.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.agent_watch.roots == {"codex": tmp_path / "codex" / "sessions"}
        for i in range(40):  # the watcher's start cannot be observed: write until seen
            with rollout.open("a") as handle:  # Codex, in another terminal, goes on
                handle.write(json.dumps(_say(f"Step {i} done.")) + "\n")
            try:
                await wait_for(lambda: "done." in visible_text(app), timeout=0.5)
                break
            except (TimeoutError, AssertionError):
                continue
        assert "done." in visible_text(app)
        assert session.id in screen.session_tree.live
        assert "Step 0 done." in engine.transcript(session.id)[-1].text  # imported, not drawn only
