"""The embedded store's cache of open family files stays bounded, by count and by
bytes, and a family it drops is freed at once, even with full collections held off
(as an import holds them): a long import's memory stays flat."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.store import tinydb_store
from tui.engine.store.tinydb_store import TinyDBStore


def _families(store: TinyDBStore, count: int, text: str = "x") -> list[str]:
    engine = Engine(store)
    ids = []
    for i in range(count):
        sid = engine.new_session(title=f"f{i}").id
        engine.append(sid, "user", f"{text} {i}")
        ids.append(engine.session(sid).root_id)
    return ids


def test_a_family_dropped_from_the_cache_is_freed_without_a_full_collection(
    isolated_env: Path,
) -> None:
    store = TinyDBStore(isolated_env / "s", family_cache=2)
    roots = _families(store, 3)
    first = weakref.ref(store._family(roots[0]))
    gc.disable()  # as during an import: only this proves no reference cycle holds it
    try:
        store._family(roots[1])
        store._family(roots[2])
        store._family(roots[1])  # roots[0] is the least recently used: dropped
        assert roots[0] not in store._families
        assert first() is None
    finally:
        gc.enable()


def test_the_cache_keeps_to_its_byte_budget_but_never_drops_unwritten_changes(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TinyDBStore(isolated_env / "s", family_cache=100)
    roots = _families(store, 6, text="y" * 2000)
    size = store._family(roots[0]).size()
    assert size > 2000
    monkeypatch.setattr(tinydb_store, "FAMILY_CACHE_BYTES", 3 * size)
    store._families.clear()
    for root in roots:
        store.family_sessions(root)  # opened and read
    assert 2 <= len(store._families) <= 4  # about three files' worth, not all six
    engine = Engine(store)
    with store.transaction():
        for root in roots:  # every family gets a change not yet written
            session = next(iter(store.family_sessions(root)))
            engine.writer.store.put_session(session.with_changes(title="renamed"))
        assert len(store._families) == len(roots)  # none dropped with changes pending
    assert [Engine(TinyDBStore(store.home)).session(next(iter(store.family_sessions(r))).id).title
            for r in roots] == ["renamed"] * len(roots)  # fmt: skip


def test_a_walk_checks_its_family_file_once_and_the_next_walk_sees_other_writes(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.engine.store import atomic

    engine = Engine.open(isolated_env / "s")
    sid = engine.new_session(title="long").id
    for i in range(50):
        engine.append(sid, "user" if i % 2 == 0 else "assistant", f"line {i}")
    engine.transcript(sid)
    checks: list[str] = []
    signature = atomic.signature
    monkeypatch.setattr(atomic, "signature", lambda path: checks.append(path) or signature(path))
    assert len(engine.transcript(sid)) == 50
    assert len([p for p in checks if "families" in p]) == 1  # one stat for 50 messages
    other = Engine.open(isolated_env / "s")
    other.append(sid, "assistant", "from another process")
    other.close()
    assert engine.transcript(sid)[-1].text == "from another process"


def test_a_transaction_writing_many_families_does_not_rescan_the_cache_at_each(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.engine.store.tinydb_files import StoreFile

    store = TinyDBStore(isolated_env / "s", family_cache=8)
    engine = Engine(store)
    sizes = 0
    size = StoreFile.size

    def counted(file: StoreFile) -> int:
        nonlocal sizes
        sizes += 1
        return size(file)

    monkeypatch.setattr(StoreFile, "size", counted)
    with store.transaction():  # as an import does: 200 families, none written yet
        made = [engine.new_session(title=f"f{i}").id for i in range(200)]
    assert sizes < 2_000  # a scan at each open read 200 * 201 / 2 = 20,100 sizes
    assert len(store._families) <= 8  # the commit closed what it had to keep open
    assert len({engine.session(sid).title for sid in made}) == 200
