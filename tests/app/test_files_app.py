"""Pilot tests of files in the app: a revert asks what moves back (with a preview), the
side pane lists a call's file changes, a fork can get its own worktree, and compare
shows what each side did to the files."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Collapsible, Select

from tests.files.test_file_history import git
from tests.files.test_files_cli import _edit
from tui.app.app import ForktreeApp
from tui.app.screens.compare import CompareScreen
from tui.app.screens.restore_files import RestoreFilesScreen
from tui.app.screens.session_options import SessionOptionsScreen
from tui.engine import Engine
from tui.engine.sessions.model import Origin

from .conftest import main_screen, screen_text


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("print(1)\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start")
    return repo


async def test_revert_asks_what_moves_back_and_puts_the_files_back(
    engine: Engine, tmp_path: Path
) -> None:
    repo = _repo(tmp_path)
    sid = engine.new_session(title="coding", origin=Origin(cwd=str(repo))).id
    first = _edit(engine, sid, repo, "app.py", "print(2)\n")
    _edit(engine, sid, repo, "extra.py", "z = 3\n")
    app = ForktreeApp(engine, start=sid)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await screen.side.show(engine.transcript(sid)[-1])  # the side pane: its file change
        await pilot.pause()
        titles = [str(c.title) for c in screen.side.query(Collapsible)]
        assert any("✎ extra.py · new · +1 -0" in t for t in titles), titles
        screen.transcript.focus_message(1)  # the first reply
        await pilot.pause()
        assert screen.transcript.focused_message().id == first  # type: ignore[union-attr]
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RestoreFilesScreen)
        assert "extra.py: remove" in screen_text(app)
        assert (repo / "extra.py").exists()  # nothing written before the choice
        await pilot.click("#both")
        await pilot.pause()
        assert not (repo / "extra.py").exists() and (repo / "app.py").read_text() == "print(2)\n"
        assert len(engine.transcript(sid)) == 2


async def test_fork_into_its_own_worktree_and_compare_the_files(
    engine: Engine, tmp_path: Path
) -> None:
    repo = _repo(tmp_path)
    sid = engine.new_session(title="coding", origin=Origin(cwd=str(repo))).id
    _edit(engine, sid, repo, "app.py", "print(2)\n")
    app = ForktreeApp(engine, start=sid)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        screen.action_fork_with_options()
        await pilot.pause()
        assert isinstance(app.screen, SessionOptionsScreen)
        app.screen.query_one("#folder", Select).value = "own"
        app.screen.query_one("#title").focus()
        await pilot.press("enter")
        await pilot.pause()
        fork = engine.session(screen.current or "")
        assert fork.parent_session_id == sid and fork.origin.workspace
        cwd = Path(fork.origin.cwd or "")
        assert (cwd / "app.py").read_text() == "print(2)\n" and cwd != repo
        _edit(engine, fork.id, cwd, "app.py", "print('fork')\n")
        app.push_screen(CompareScreen(engine, sid, fork.id))
        await pilot.pause()
        assert "1 file(s) changed" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        shown = screen_text(app)
        assert "(unchanged on this side)" in shown and "app.py" in shown
