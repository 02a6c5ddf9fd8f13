"""Claude Code in the app: import at start-up, subagents under their Task call, resume."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import ProgressBar

from tests.importers.cc_fixture import SID, Transcript, text, tool_use
from tui.app.app import ForktreeApp
from tui.app.widgets.side_pane import SidePane
from tui.engine import Engine
from tui.engine.importers.claude_code import ClaudeCodeImporter, Progress

from .conftest import main_screen, wait_for


def _history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t = Transcript(cwd="/work/my proj", branch="feature/x")
    p = t.user("Refactor the cache layer", None)
    a = t.assistant(
        [
            tool_use(
                "task_1",
                "Task",
                {"description": "Survey callers", "prompt": "Find every cache caller"},
            )
        ],
        p,
        "msg_1",
    )
    s = t.user("Find every cache caller", None, isSidechain=True)
    t.assistant([text("12 callers")], s, "msg_s", isSidechain=True)
    r = t.result("task_1", "12 callers", a)
    t.assistant([text("Plan: wrap them")], r, "msg_2")
    t.write(tmp_path / "claude" / "projects" / "-work-my-proj" / f"{SID}.jsonl")
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "claude"))


def _import_on_start(isolated_env: Path) -> None:
    config = isolated_env.parent / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text("import_on_start = true\n")


async def test_import_on_start_runs_in_background(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    _history(tmp_path, monkeypatch)
    _import_on_start(isolated_env)
    app = ForktreeApp(engine)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        titles = [engine.session(sid).title for sid in screen.session_tree.ordered_ids()]
        assert "Refactor the cache layer" in titles
        assert "subagent: Survey callers" in titles
        assert not app.screen.query("#import-progress")  # the bar went with the import
        imported = next(s for s in engine.sessions() if s.title.startswith("Refactor"))
        assert imported.origin.git_branch == "feature/x"
        node = screen.session_tree._session_nodes[imported.id]
        assert "feature/x" not in str(node.label)  # a narrow tree keeps the title instead
        screen.session_tree.styles.width = 70
        await pilot.pause()
        assert "feature/x" in str(screen.session_tree.label_for(imported))  # room for both

        await screen.open_session(imported.id)
        screen.transcript.focus_message(1)
        await pilot.pause()
        side = app.screen.query_one(SidePane)
        assert "subagent session “subagent: Survey callers”" in str(
            side.query_one(".subagent").render()
        )

        await screen.run_action("open_in_agent")
        assert app.clipboard == f"cd '/work/my proj' && claude --resume {SID}"


async def test_a_big_import_runs_in_worker_processes_inside_the_app(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    """In the app, whose stderr is a capture with no file number (multiprocessing's
    helpers take theirs by number), the workers start and their sessions arrive."""
    from tui.engine.importers import bulk, claude_code

    _history(tmp_path, monkeypatch)
    started: list[object] = []
    bulk_pool = claude_code.bulk_pool

    def counted(*arguments: Any) -> Any:
        started.append(bulk_pool(*arguments))
        return started[-1]

    monkeypatch.setattr(bulk, "PARALLEL_BYTES", 0)  # as if it were gigabytes
    monkeypatch.setattr(bulk, "worker_count", lambda: 2)
    monkeypatch.setattr(claude_code, "bulk_pool", counted)
    _import_on_start(isolated_env)
    app = ForktreeApp(engine)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert started and started[0] is not None
        assert not app.screen.query("#import-progress")
        titles = [engine.session(sid).title for sid in screen.session_tree.ordered_ids()]
        assert {"Refactor the cache layer", "subagent: Survey callers"} <= set(titles)


async def test_an_import_that_breaks_says_so_and_takes_its_bar_away(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(tmp_path, monkeypatch)

    def broken(self: ClaudeCodeImporter, root: Path, progress: Progress) -> object:
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(ClaudeCodeImporter, "run", broken)
    app = ForktreeApp(engine)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        main_screen(app).action_import_agents()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query("#import-progress")
        said = [n.message for n in app._notifications]
        assert any("Claude Code import failed (ValueError" in m for m in said), said


async def test_the_import_shows_its_progress_while_it_runs(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress bar is there only while an import runs, and shows how far it is."""
    _history(tmp_path, monkeypatch)
    halfway, finish = threading.Event(), threading.Event()
    run = ClaudeCodeImporter.run

    def slow_run(self: ClaudeCodeImporter, root: Path, progress: Progress) -> object:
        progress(1, 2)
        halfway.set()
        finish.wait(10)
        return run(self, root, progress)

    monkeypatch.setattr(ClaudeCodeImporter, "run", slow_run)
    app = ForktreeApp(engine)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#import-progress")
        main_screen(app).action_import_agents()
        await wait_for(halfway.is_set)
        await wait_for(lambda: app.screen.query("#import-progress"))
        bar = app.screen.query_one("#import-progress", ProgressBar)
        await wait_for(lambda: bar.progress == 1 and bar.total == 2)
        finish.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query("#import-progress")


async def test_open_in_agent_needs_an_agent_session(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ForktreeApp(engine)
    said: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(app, "notify", lambda message, **kw: said.append(message))
        await main_screen(app).run_action("open_in_agent")
        assert said == [
            "This session did not come from Claude Code, Codex or OpenCode: there is "
            "no agent session to resume."
        ]
        assert app.clipboard == ""
