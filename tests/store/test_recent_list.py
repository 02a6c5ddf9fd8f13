"""The TinyDB store's list of its newest families (index/recent-families), a cache a start
reads before the whole index: what it gives must be exactly what the whole index says,
however the store changed since the list was saved."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.sessions.forest import build_forest
from tui.engine.sessions.model import SessionRow
from tui.engine.store import TinyDBStore, recent

LIST = Path("index") / "recent-families"


def _families(rows: list[SessionRow], count: int) -> list[list[tuple[str, float]]]:
    """The tree's first `count` families as the tree orders them: each a walk of its
    sessions (id and time), forks under their parents."""
    return [
        [(node.session.id, node.session.updated) for _, node in root.walk()]
        for root in build_forest(rows)[:count]
    ]


def _same_start(engine: Engine, count: int) -> None:
    first = engine.first_rows(count)
    every = engine.session_rows()
    assert first.rows[0] == every[0]  # the session a start opens
    assert _families(first.rows, count) == _families(every, count)
    assert first.shown == len(every)  # what lays the tree out
    for row in first.rows:
        shown, stored = first.session(row.id), engine.session(row.id)
        assert shown.title == stored.title and shown.totals == stored.totals


def test_a_small_store_is_listed_whole_from_the_list(engine: Engine) -> None:
    a = engine.new_session(title="a").id
    engine.append(a, "user", "one")
    fork = engine.fork(a, title="fork").id
    b = engine.new_session(title="b").id
    assert not engine.first_rows(150).from_list  # no list yet: the index, read whole
    engine.store.save_recent()  # type: ignore[attr-defined]
    first = engine.first_rows(150)
    assert first.from_list and first.complete
    assert {r.id for r in first.rows} == {a, fork, b} and first.rows == engine.session_rows()


def test_the_list_follows_every_kind_of_change_made_since_it_was_saved(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recent, "KEEP", 5)
    rng = random.Random(7)
    ids = [engine.new_session(title=f"s{i}").id for i in range(12)]
    used = 0
    for step in range(150):
        if step % 9 == 0:
            engine.store.save_recent()  # type: ignore[attr-defined]
        sid = rng.choice(ids)
        op = rng.random()
        if op < 0.4:
            engine.append(sid, "user", f"m{step}")
        elif op < 0.55 and engine.transcript(sid):
            ids.append(engine.fork(sid, title=f"f{step}").id)
        elif op < 0.65:
            engine.archive(sid, archived=rng.random() < 0.7)
        elif op < 0.72 and len(ids) > 4:
            engine.delete(sid)
            ids.remove(sid)
        elif op < 0.85:
            ids.append(engine.new_session(title=f"n{step}").id)
        else:
            engine.rename(sid, f"r{step}")
        first = engine.first_rows(3)
        if first.from_list:
            used += 1
            _same_start(engine, 3)
    assert used > 100 and not engine.first_rows(3).complete  # the list was read, past its size


def test_too_few_newest_families_left_means_reading_the_index(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recent, "KEEP", 3)
    ids = [engine.new_session(title=f"s{i}").id for i in range(6)]
    engine.store.save_recent()  # type: ignore[attr-defined]
    for sid in ids[-3:]:
        engine.delete(sid)  # the list now holds no family it can vouch for
    first = engine.first_rows(2)
    assert not first.from_list and [r.id for r in first.rows] == ids[2::-1]


def test_many_shards_written_since_means_reading_the_index(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recent, "STALE_SHARDS", 2)
    engine.new_session(title="first")
    engine.store.save_recent()  # type: ignore[attr-defined]
    later = [engine.new_session(title=f"later {i}").id for i in range(8)]  # 8 shards, likely
    first = engine.first_rows(2)
    assert not first.from_list and first.rows[0].id == later[-1]


def test_a_damaged_list_is_read_past_and_made_again(engine: Engine, isolated_env: Path) -> None:
    ids = [engine.new_session(title=f"s{i}").id for i in range(3)]
    for damaged in ('{"families": {"x": 1}, "shards": {}}', "{not json", ""):
        (isolated_env / LIST).write_text(damaged)
        first = Engine.open(isolated_env).first_rows(2)
        assert not first.from_list and [r.id for r in first.rows] == ids[::-1]
    TinyDBStore(isolated_env).save_recent()
    assert Engine.open(isolated_env).first_rows(2).from_list


def test_another_process_writes_show_in_the_list(engine: Engine, isolated_env: Path) -> None:
    engine.new_session(title="mine")
    engine.store.save_recent()  # type: ignore[attr-defined]
    other = Engine.open(isolated_env)
    theirs = other.new_session(title="theirs").id
    other.close()
    first = engine.first_rows(5)
    assert first.from_list and first.rows[0].id == theirs  # its shard changed: read again


def test_a_damaged_session_in_the_list_is_read_from_the_store(
    engine: Engine, isolated_env: Path
) -> None:
    sid = engine.new_session(title="kept").id
    engine.store.save_recent()  # type: ignore[attr-defined]
    data = json.loads((isolated_env / LIST).read_text())
    data["families"][sid][sid]["totals"] = "not totals"
    (isolated_env / LIST).write_text(json.dumps(data))
    first = Engine.open(isolated_env).first_rows(5)
    assert first.from_list and [r.id for r in first.rows] == [sid]
    assert first.session(sid).title == "kept"  # the store's own copy, not the damaged one


def test_the_list_leaves_out_system_prompts(engine: Engine, isolated_env: Path) -> None:
    sid = engine.new_session(title="long prompt", system_prompt="be thorough " * 2000).id
    engine.store.save_recent()  # type: ignore[attr-defined]
    assert len((isolated_env / LIST).read_bytes()) < 20_000  # not the 24 KB prompt
    assert engine.first_rows(5).session(sid).title == "long prompt"
    assert engine.session(sid).system_prompt == "be thorough " * 2000  # the store keeps it
