"""The search index's first build: newest first, batch by batch, in the background,
with searches answering from what is indexed meanwhile and nothing lost or doubled."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.fakes.build_gate import hold_build, one_family_per_batch
from tui.engine import Engine
from tui.engine.explore import search_build
from tui.engine.explore.search import SearchIndex
from tui.engine.explore.search_build import BuildProgress, build


def _families(engine: Engine, count: int) -> list[str]:
    """`count` one-session families, oldest first, each with its own word and 'shared';
    their files' times a minute apart, as sessions written over a day."""
    ids = []
    for i in range(count):
        sid = engine.new_session(title=f"s{i}").id
        engine.append(sid, "user", f"shared note word{i}")
        ids.append(sid)
    for i, sid in enumerate(ids):
        path = engine.store.home / "families" / sid[:2] / f"{sid}.json"
        os.utime(path, (1_700_000_000 + 60 * i, 1_700_000_000 + 60 * i))
    return ids


def _found(engine: Engine, word: str) -> set[str]:
    return {h.session.id for h in engine.search_index.search(word, sync=False) if h.session}


def _fresh_index(engine: Engine) -> SearchIndex:
    engine.close()
    for suffix in ("", "-wal", "-shm"):
        (engine.store.home / f"search.sqlite3{suffix}").unlink(missing_ok=True)
    return Engine.open(engine.store.home).search_index


def test_a_build_indexes_the_newest_work_first_and_resumes_where_it_stopped(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _families(engine, 6)
    index = _fresh_index(engine)
    monkeypatch.setattr(search_build, "FIRST_BATCH", 2)
    stop = threading.Event()
    progress = BuildProgress(total=6)
    advance = progress._advance

    def one_batch(families: int, messages: int) -> None:
        advance(families, messages)
        stop.set()  # as if the app closed after the first batch committed

    monkeypatch.setattr(progress, "_advance", one_batch)
    fresh, _, _ = index._plan()
    build(index.db, index.store, fresh, progress, stop)
    assert progress.done == 2
    assert _found(Engine.open(index.home), "shared") == set(ids[-2:])  # the newest two
    assert index.sync() == 4  # the rest, and only the rest
    hits = index.search("shared", sync=False, limit=100)
    assert sorted(h.session.id for h in hits if h.session) == sorted(ids)  # none twice


def test_a_background_build_answers_searches_meanwhile_and_loses_no_write(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _families(engine, 5)
    one_family_per_batch(monkeypatch, background=3)
    gate = hold_build(monkeypatch, 1)  # the second family waits: the build is half-way
    again = Engine.open(_fresh_index(engine).home)
    progress = again.prepare_search()
    assert progress is not None and again.search_index.building
    while progress.done < 1:
        progress.wait(5)
    assert [h.session.title for h in again.search("shared") if h.session] == ["s4"]
    again.append(ids[0], "assistant", "written during the build: quokka")  # not built yet
    again.append(ids[4], "assistant", "written during the build: wombat")  # built already
    gate.set()
    while not progress.finished:
        progress.wait(5)
    assert progress.error is None and progress.done == 5
    assert again.prepare_search() is None  # built: nothing to wait for
    assert _found(again, "quokka") == {ids[0]}
    assert [h.session.id for h in again.search("wombat")] == [ids[4]]  # its file changed
    assert len(again.search("shared", limit=100)) == 5
    again.close()


def test_closing_the_engine_stops_a_build_and_the_next_start_finishes_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _families(engine, 4)
    one_family_per_batch(monkeypatch, background=2)
    first = Engine.open(_fresh_index(engine).home)
    progress = first.prepare_search()
    assert progress is not None
    first.close()  # waits for the batch being written, then stops
    assert progress.finished and progress.error is None
    later = Engine.open(first.store.home)
    assert len(later.search("shared", limit=100)) == len(ids)
    later.close()


def test_a_background_build_that_fails_half_way_is_finished_by_the_next_search(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _families(engine, 4)
    one_family_per_batch(monkeypatch, background=2)
    reader = search_build.read_family_docs
    read: list[Path] = []

    def failing(path: Path) -> list[dict[str, object]]:
        read.append(path)
        if len(read) == 3:
            raise OSError("the disk went away")
        return reader(path)

    monkeypatch.setattr(search_build, "read_family_docs", failing)
    again = Engine.open(_fresh_index(engine).home)
    for folder in (again.store.home / "families").iterdir():
        os.utime(folder, (1_000_000, 1_000_000))  # long quiet: a sync would not list it
    progress = again.prepare_search()
    assert progress is not None
    while not progress.finished:
        progress.wait(5)
    assert progress.error and "the disk went away" in progress.error and progress.done == 2
    monkeypatch.setattr(search_build, "read_family_docs", reader)
    assert len(again.search("shared", limit=100)) == len(ids)  # the rest, this time
    again.close()


def test_a_build_that_ends_before_the_call_returns_is_still_reported(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _families(engine, 3)
    one_family_per_batch(monkeypatch, background=2)

    class Quick(search_build.BackgroundBuild):
        """Done before its starter looks: a fast disk, a busy interpreter."""

        def __init__(self, *args: object) -> None:
            super().__init__(*args)  # type: ignore[arg-type]
            self._thread.join(10)

    monkeypatch.setattr("tui.engine.explore.search.BackgroundBuild", Quick)
    again = Engine.open(_fresh_index(engine).home)
    progress = again.prepare_search()
    assert progress is not None and progress.finished and progress.done == 3
    assert again.prepare_search() is None  # the next call: nothing to wait for
    again.close()


def _index_rows(index: SearchIndex) -> list[tuple[object, ...]]:
    rows = index.db.execute(
        "SELECT rowid, body, message_id, root_id, role, created FROM messages ORDER BY rowid"
    ).fetchall()
    return rows + index.db.execute("SELECT * FROM docs ORDER BY row").fetchall()


@pytest.mark.parametrize("kill", [False, True], ids=["workers", "killed-workers"])
def test_a_build_read_by_worker_processes_indexes_exactly_what_one_process_does(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, kill: bool
) -> None:
    """A big build reads the family files in worker processes; a worker killed mid-way
    (say, out of memory) costs nothing but the time: its families are read here."""
    from tui.engine.util.process_pool import OrderedPool

    _families(engine, 12)
    alone = _fresh_index(engine)
    fresh, _, _ = alone._plan()
    build(alone.db, alone.store, fresh, BuildProgress(len(fresh)))
    expected = _index_rows(alone)
    assert len(expected) == 24
    monkeypatch.setattr(search_build, "PARALLEL_FAMILIES", 2)
    monkeypatch.setattr(search_build, "INLINE_FAMILIES", 3)  # read here while workers start
    monkeypatch.setattr(search_build, "worker_count", lambda: 2)
    started: list[OrderedPool[object]] = []
    asked: list[int] = []

    class Watched(OrderedPool[object]):
        def __init__(self, *arguments: object) -> None:
            super().__init__(*arguments)  # type: ignore[arg-type]
            started.append(self)
            taken = self.next

            def counted() -> object:
                asked.append(1)
                return taken()

            self.next = counted  # type: ignore[method-assign]
            if kill:
                for pid in self.pids:
                    os.kill(pid, 9)

    monkeypatch.setattr(search_build, "OrderedPool", Watched)
    index = _fresh_index(engine)
    fresh, _, _ = index._plan()
    build(index.db, index.store, fresh, BuildProgress(len(fresh)))
    assert started and len(asked) == 9 and _index_rows(index) == expected
    assert len(_found(Engine.open(engine.store.home), "shared")) == 12


def test_a_build_gives_the_connection_its_durability_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build alone skips fsync and takes a big page cache; the index's later
    writes (one per message) are synced at checkpoints as before."""
    _families(engine, 3)
    index = _fresh_index(engine)
    settings = ("synchronous", "cache_size")
    before = [index.db.execute(f"PRAGMA {p}").fetchone()[0] for p in settings]
    seen: list[int] = []
    real = search_build._commit

    def commit(db, *args):  # type: ignore[no-untyped-def]
        seen.append(db.execute("PRAGMA synchronous").fetchone()[0])
        real(db, *args)

    monkeypatch.setattr(search_build, "_commit", commit)
    fresh, _, _ = index._plan()
    build(index.db, index.store, fresh, BuildProgress(total=len(fresh)))
    assert seen == [0]  # OFF while building
    after = [index.db.execute(f"PRAGMA {p}").fetchone()[0] for p in settings]
    assert after == before and before[0] == 1  # NORMAL again, and the usual cache
    assert len(index.search("shared", sync=False)) == 3
