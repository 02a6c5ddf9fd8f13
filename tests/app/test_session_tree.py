"""The session tree over a large store: built a page at a time, reading only the
sessions it shows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.app.app import ForktreeApp
from tui.app.widgets import session_tree
from tui.app.widgets.session_tree import MORE
from tui.engine import Engine, Session
from tui.engine.sessions.model import SessionRow
from tui.engine.store import recent

from .conftest import main_screen


def _families(engine: Engine, count: int) -> list[str]:
    """`count` one-message families, each with a fork; most recent last."""
    ids = []
    for i in range(count):
        sid = engine.new_session(title=f"family {i}").id
        engine.append(sid, "user", f"question {i}")
        engine.fork(sid)
        ids.append(sid)
    return ids


async def test_a_large_store_reads_only_the_sessions_the_tree_shows(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_tree, "EAGER_LIMIT", 4)  # 10 sessions: a large store here
    monkeypatch.setattr(session_tree, "PAGE", 2)
    ids = _families(engine, 5)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = main_screen(app).session_tree
        read: list[str] = []

        def load(session_id: str) -> Session:
            read.append(session_id)
            return engine.session(session_id)

        tree.populate(engine.session_rows(), load)
        await pilot.pause()
        # The two most recent families, collapsed (their forks are not read), then "more".
        assert tree.ordered_ids() == [ids[4], ids[3]]
        assert sorted(read) == sorted([ids[4], ids[3]])
        assert tree.root.children[-1].data == MORE
        assert "3 more session families" in str(tree.root.children[-1].label)

        tree.move_cursor(tree.root.children[-1])
        tree.action_select_cursor()  # enter on "more": the next page
        await pilot.pause()
        assert tree.ordered_ids() == [ids[4], ids[3], ids[2], ids[1]]

        fork = next(s.id for s in engine.family(ids[0]) if s.parent_session_id)
        tree.select_session(fork)  # builds its page and opens its family
        await pilot.pause()
        assert tree.ordered_ids()[-2:] == [ids[0], fork]
        assert tree.cursor_node is not None and tree.cursor_node.data == fork


async def test_a_session_deleted_after_the_listing_is_left_out(engine: Engine) -> None:
    """Another process may delete a session between the listing and the tree's build."""
    keep, gone = _families(engine, 2)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = main_screen(app).session_tree
        rows = engine.session_rows()
        for session in engine.family(gone)[::-1]:  # the fork first, then its parent
            engine.delete(session.id)
        tree.populate(rows, engine.session)
        await pilot.pause()
        assert gone not in tree.ordered_ids()
        assert keep in tree.ordered_ids()


async def test_the_switcher_finds_a_session_by_its_id_prefix(demo_engine: Engine) -> None:
    from tui.app.screens.switcher import SwitcherScreen

    target = demo_engine.sessions()[-1]
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, SwitcherScreen)
        await pilot.press(*target.id[:6], "enter")
        await pilot.pause()
        assert main_screen(app).current == target.id


async def test_resume_opens_the_app_on_that_session(demo_engine: Engine) -> None:
    oldest = demo_engine.sessions()[-1]
    app = ForktreeApp(demo_engine, start=oldest.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert main_screen(app).current == oldest.id


def test_resume_with_a_wrong_id_says_so(
    demo_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    assert main(["resume", "nosuchid"]) == 2
    assert "no session matches" in capsys.readouterr().err


def test_long_titles_keep_their_start_and_end() -> None:
    from tui.app.widgets.session_tree import fit_title

    title = "Refactor billing/invoice.py: the Invoice class (fork 2)"
    assert fit_title(title, 80) == title
    assert fit_title(title, 24) == "Refactor billing/invoic…"  # a root: cut at the end
    cut = fit_title(title, 24, keep_end=True)  # a fork: its end tells it from its siblings
    assert len(cut) <= 24 and cut.startswith("Refactor") and cut.endswith("(fork 2)")
    assert cut != fit_title(title.replace("2)", "3)"), 24, keep_end=True)


async def test_sibling_forks_read_differently_and_the_tree_resizes(
    engine: Engine,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import os

    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text("tree_width = 44\n")
    assert os.environ["FORKTREE_CONFIG_DIR"] == str(config)
    sid = engine.new_session(title="A rather long session title about lifetimes").id
    engine.append(sid, "user", "q")
    titles = [engine.fork(sid).title for _ in range(3)]
    assert titles[1:] == [f"{titles[0][:-1]} 2)", f"{titles[0][:-1]} 3)"]
    app = ForktreeApp(engine)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        tree = main_screen(app).session_tree
        assert tree.outer_size.width == 44  # from the settings
        labels = [str(tree._session_nodes[s.id].label) for s in engine.sessions()
                  if s.parent_session_id]  # fmt: skip
        assert len(set(labels)) == 3, labels  # each sibling's end shows
        await pilot.press("alt+right")
        await pilot.pause()
        assert tree.outer_size.width == 48
        await pilot.press("alt+left", "alt+left")
        await pilot.pause()
        assert tree.outer_size.width == 40


async def test_a_start_shows_the_newest_families_first_and_the_rest_once_listed(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recent, "KEEP", 3)  # the store's list holds three families
    monkeypatch.setattr("tui.app.tree_listing.PAGE", 2)
    monkeypatch.setattr(session_tree, "PAGE", 2)
    ids = _families(engine, 6)
    engine.store.save_recent()  # type: ignore[attr-defined]  # as the last run left it
    newest = engine.session_rows()[0].id  # the fork of the last family
    read_whole: list[bool] = []
    every_row = engine.session_rows

    def counted(include_archived: bool = False) -> list[SessionRow]:
        read_whole.append(include_archived)
        return every_row(include_archived)

    monkeypatch.setattr(engine, "session_rows", counted)
    steps = engine.rows_in_steps
    reading = [True]

    def slow_steps() -> Iterator[None]:
        yield from steps()
        while reading[0]:  # as a large index would still be being read
            yield

    monkeypatch.setattr(engine, "rows_in_steps", slow_steps)
    arranged_in: list[threading.Thread] = []

    def arrange(rows: list[SessionRow]) -> session_tree.Arranged:
        arranged_in.append(threading.current_thread())
        return session_tree.arrange(rows)

    monkeypatch.setattr("tui.app.tree_listing.arrange", arrange)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        tree = screen.session_tree
        assert screen.current == newest  # the newest session, opened
        shown = tree.ordered_ids()  # the two newest families (the opened one expanded)
        assert [i for i in shown if i in ids] == [ids[5], ids[4]] and not tree.complete
        assert read_whole == []  # the start read the list of the newest families only
        await pilot.press("h", "i")
        assert screen.prompt.text == "hi"  # keys are taken while the index is read
        reading[0] = False
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert read_whole == [False] and tree.complete
        assert arranged_in and threading.main_thread() not in arranged_in  # keys go on
        assert tree.ordered_ids() == shown  # the same tree, now from every session
        assert "4 more session families" in str(tree.root.children[-1].label)


async def test_a_start_that_read_the_whole_index_saves_the_list_for_the_next(
    engine: Engine, isolated_env: Path
) -> None:
    ids = _families(engine, 3)
    listed = isolated_env / "index" / "recent-families"
    assert not listed.exists()
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert listed.exists()
    first = engine.first_rows(3)
    assert first.from_list and {r.root_id for r in first.rows} == set(ids)
