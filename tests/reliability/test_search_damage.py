"""A damaged search index (a derived cache) never fails a search: it is moved aside
with a problem noted, and built again from the store, whichever call meets it first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.explore.search_build import BackgroundBuild, Family

PAGE = 4096


def _store(home: Path, messages: int = 200) -> str:
    engine = Engine.open(home)
    sid = engine.new_session(title="ledger notes").id
    for i in range(messages):
        engine.append(sid, "user", f"note {i} about the ledger, " + "more words " * 20)
    assert engine.search("ledger")  # the index exists, and is closed whole below
    engine.close()
    assert not Path(f"{home / 'search.sqlite3'}-wal").exists()
    return sid


def _garble(path: Path, keep_header: bool) -> None:
    data = bytearray(path.read_bytes())
    start = PAGE if keep_header else 0  # past page 1: the schema still reads
    data[start:] = b"\x5a" * (len(data) - start)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("keep_header", [False, True], ids=["not-a-database", "bad-pages"])
def test_search_on_a_damaged_index_rebuilds_it(isolated_env: Path, keep_header: bool) -> None:
    _store(isolated_env)
    _garble(isolated_env / "search.sqlite3", keep_header)
    engine = Engine.open(isolated_env)
    hits = engine.search("ledger note 7", limit=5)
    assert [h.snippet.split(",")[0] for h in hits][:1] == ["[note] [7] about the [ledger]"]
    assert any("search.sqlite3 was damaged" in p for p in engine.problems)
    assert (isolated_env / "quarantine" / "search.sqlite3.bad").exists()
    assert engine.search("ledger")  # the new index answers from then on
    assert len([p for p in engine.problems if "search.sqlite3" in p]) == 1
    engine.close()


def test_opening_search_on_a_damaged_index_starts_a_new_build(isolated_env: Path) -> None:
    _store(isolated_env)
    _garble(isolated_env / "search.sqlite3", keep_header=True)
    engine = Engine.open(isolated_env)
    progress = engine.prepare_search()  # what the search screen does first: no traceback
    while progress is not None and not progress.finished:
        progress.wait(5)
    assert any("search.sqlite3 was damaged" in p for p in engine.problems)
    assert len(engine.search("ledger", limit=500)) == 200
    engine.close()


def test_a_build_that_meets_damage_says_so(tmp_path: Path, isolated_env: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 500)
    engine = Engine.open(isolated_env)
    build = BackgroundBuild(lambda: sqlite3.connect(bad), engine.store, [Family("x", "")])
    build.stop()
    assert build.progress.finished and build.progress.damage is not None
    assert "DatabaseError" in (build.progress.error or "")


def test_the_engine_replaces_an_index_whose_build_met_damage(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store(isolated_env, messages=3)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{isolated_env / 'search.sqlite3'}{suffix}").unlink(missing_ok=True)
    monkeypatch.setattr("tui.engine.explore.search.BACKGROUND_FAMILIES", 1)
    engine = Engine.open(isolated_env)
    bad = isolated_env / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 500)
    engine.search_index._connect = lambda: sqlite3.connect(bad)  # type: ignore[method-assign]
    progress = engine.prepare_search()
    assert progress is not None
    while not progress.finished:
        progress.wait(5)
    assert progress.damage is not None
    hits = engine.search("note 2")
    assert [h.snippet.split(",")[0] for h in hits] == ["[note] [2] about the ledger"]
    assert any("was damaged" in p for p in engine.problems)
    engine.close()


def test_a_locked_index_is_not_thrown_away(isolated_env: Path) -> None:
    """Busy is not damage: a write whose index update times out keeps the index, and the
    next search re-indexes the family from its changed file."""
    sid = _store(isolated_env, messages=3)
    engine = Engine.open(isolated_env)
    engine.search("ledger")
    engine.search_index.db.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(isolated_env / "search.sqlite3")
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    engine.append(sid, "user", "written while the index was locked")
    other.rollback()
    other.close()
    assert not engine.problems
    assert (isolated_env / "search.sqlite3").exists()
    assert [h.snippet for h in engine.search("locked")] == ["written while the index was [locked]"]
    engine.close()
