"""An imported Codex session that is running right now: what its agent writes to the
rollout shows in the open transcript without a re-import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.importers.test_codex import _current, _say, _user, _write
from tui.app import source_watch
from tui.app.app import ForktreeApp
from tui.engine import Engine
from tui.engine.importers.codex import CodexImporter

from .conftest import main_screen, visible_text, wait_for


async def test_new_lines_in_the_rollout_appear_in_the_open_session(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source_watch, "INTERVAL", 0.05)
    rollout = _write(tmp_path / "sessions" / "r.jsonl", _current("live-1"))
    CodexImporter(engine).run(rollout)
    (session,) = engine.sessions()
    app = ForktreeApp(engine, start=session.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = len(engine.transcript(session.id))
        with rollout.open("a") as handle:  # Codex, in another terminal, goes on
            for line in (_user("and the docs?"), _say("Docs updated too.")):
                handle.write(json.dumps(line) + "\n")
        await wait_for(lambda: "Docs updated too." in visible_text(app), timeout=10)
        assert len(engine.transcript(session.id)) == before + 2
        assert main_screen(app).current == session.id
