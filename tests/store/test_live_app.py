"""Two apps' worth of clients on one PostgreSQL store: what one commits shows in the
other's open app, a new session in its tree and the messages of the open session."""

from __future__ import annotations

from pathlib import Path

from tests.app.conftest import main_screen, visible_text, wait_for
from tui.app.app import ForktreeApp
from tui.engine import Engine
from tui.engine.store.postgres_store import PostgresStore


async def test_another_clients_commits_show_within_a_second(pg_url: str, tmp_path: Path) -> None:
    here = Engine(PostgresStore(pg_url, tmp_path / "here"))
    there = Engine(PostgresStore(pg_url, tmp_path / "there"))
    sid = here.new_session(title="shared work").id
    app = ForktreeApp(here, start=sid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await wait_for(screen.store_watch.ready.is_set, timeout=10)
        there.append(sid, "user", "written on the other machine")
        await wait_for(lambda: "written on the other machine" in visible_text(app), timeout=10)
        other = there.new_session(title="a session made elsewhere").id
        await wait_for(lambda: other in screen.session_tree.ordered_ids(), timeout=5)
    here.close()
    there.close()


async def test_the_apps_import_lands_in_the_shared_store(pg_url: str, tmp_path: Path) -> None:
    """The import runs on a handle of its own: on PostgreSQL, a PostgreSQL one (not a
    TinyDB file in the store's local folder)."""
    from tests.importers.agent_samples import write_desk

    write_desk(tmp_path / "claude", tmp_path / "codex", tmp_path / "data" / "opencode")
    here = Engine(PostgresStore(pg_url, tmp_path / "here"))
    app = ForktreeApp(here, start=here.new_session(title="desk").id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main_screen(app).action_import_agents()
        await wait_for(lambda: len(here.sessions()) == 7, timeout=30)  # the desk's six
        await wait_for(lambda: not app.screen.query("#import-progress"), timeout=10)
    elsewhere = Engine(PostgresStore(pg_url, tmp_path / "elsewhere"))
    kinds = sorted(s.origin.kind for s in elsewhere.sessions())
    assert kinds.count("claude_code") == 2 and kinds.count("codex") == 2
    assert kinds.count("opencode") == 2
    assert not (tmp_path / "here" / "index").exists()  # no TinyDB store on the side
    here.close()
    elsewhere.close()
