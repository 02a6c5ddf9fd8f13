from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.store import StoreError, TinyDBStore, staging
from tui.engine.store import atomic as atomic_mod


def _family_file(engine: Engine, sid: str) -> Path:
    root = engine.session(sid).root_id
    return engine.store.home / "families" / root[:2] / f"{root}.json"


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_crash_mid_write_leaves_previous_file_intact(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    sid = engine.new_session().id
    engine.append(sid, "user", "kept")
    path = _family_file(engine, sid)
    before = path.read_bytes()

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(f"simulated crash at {step}")

    target = {
        "write": (atomic_mod.os, "fdopen"),
        "fsync": (atomic_mod.os, "fsync"),
        "replace": (atomic_mod.os, "replace"),
    }[step]
    monkeypatch.setattr(*target, crash)
    with pytest.raises(OSError, match="simulated"):
        engine.append(sid, "user", "lost in the crash")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]
    fresh = Engine.open(engine.store.home)
    assert [m.text for m in fresh.transcript(sid)] == ["kept"]
    # the in-process cache was dropped too: the next write starts from disk
    engine.append(sid, "user", "after")
    assert [m.text for m in engine.transcript(sid)] == ["kept", "after"]


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage", "schema"])
def test_corrupt_family_file_is_moved_aside_and_others_keep_working(
    engine: Engine, damage: str
) -> None:
    bad, good = engine.new_session().id, engine.new_session().id
    engine.append(bad, "user", "doomed")
    engine.append(good, "user", "safe")
    path = _family_file(engine, bad)
    raw = path.read_bytes()
    path.write_bytes(
        {
            "truncate": raw[: len(raw) // 2],
            "empty": b"",
            "garbage": os.urandom(64),
            "schema": b"[1, 2, 3]",
        }[damage]
    )
    fresh = Engine.open(engine.store.home)
    assert [m.text for m in fresh.transcript(good)] == ["safe"]
    with pytest.raises(StoreError):
        fresh.transcript(bad)
    assert any(str(path) in p and "moved aside" in p for p in fresh.problems)
    assert not path.exists()
    assert len(list((engine.store.home / "quarantine").iterdir())) == 1
    fresh.append(good, "assistant", "still writable")


def test_corrupt_index_shard_is_rebuilt_from_families(engine: Engine) -> None:
    sid = engine.new_session(title="survivor").id
    engine.append(sid, "user", "hello")
    shard = engine.store.home / "index" / f"{sid[:2]}.json"
    shard.write_bytes(b'{"sessions": {"x": ')
    fresh = Engine.open(engine.store.home)
    assert [s.title for s in fresh.sessions()] == ["survivor"]
    assert [m.text for m in fresh.transcript(sid)] == ["hello"]
    assert any("rebuilt the index entry of 1 session" in p for p in fresh.problems)


def test_store_from_a_newer_version_is_refused_clearly(isolated_env: Path) -> None:
    TinyDBStore(isolated_env)
    (isolated_env / "store.json").write_text(json.dumps({"format": 99}))
    with pytest.raises(StoreError, match="newer forktree"):
        TinyDBStore(isolated_env)


def test_a_second_process_sees_writes(engine: Engine) -> None:
    sid = engine.new_session().id
    assert engine.transcript(sid) == []
    other = Engine.open(engine.store.home)
    other.append(sid, "user", "from elsewhere")
    other.rename(sid, "renamed elsewhere")
    assert [m.text for m in engine.transcript(sid)] == ["from elsewhere"]
    assert engine.session(sid).title == "renamed elsewhere"


WORKER = """
import sys
from tui.engine import Engine
engine = Engine.open(sys.argv[1])
sid, tag, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
for i in range(count):
    engine.append(sid, "user", f"{tag}-{i}")
    if i % 10 == 0:
        engine.rename(sid, f"{tag} {i}")
        engine.fork(sid, title=f"{tag} fork {i}")
"""


def test_two_processes_appending_lose_nothing(engine: Engine) -> None:
    sid = engine.new_session().id
    count = 60
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(engine.store.home), sid, tag, str(count)]
        )
        for tag in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    texts = [m.text for m in engine.transcript(sid)]
    assert len(texts) == 2 * count
    for tag in ("a", "b"):
        mine = [t for t in texts if t.startswith(f"{tag}-")]
        assert mine == [f"{tag}-{i}" for i in range(count)]
    assert len(engine.sessions()) == 1 + 2 * (count // 10)


def test_a_commit_of_many_files_writes_them_all_or_reports_the_failure(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine.open(isolated_env)
    count = staging.PARALLEL_FLUSH * 2  # enough files for the writer threads
    sids = [engine.new_session(title=f"s{i}").id for i in range(count)]
    with engine.store.transaction():
        for sid in sids:
            engine.append(sid, "user", f"hello {sid}")
    again = Engine.open(isolated_env)
    assert [again.transcript(s)[0].text for s in sids] == [f"hello {s}" for s in sids]

    real = atomic_mod.AtomicJSONStorage.stage
    broken = sids[3]

    def flaky(self: atomic_mod.AtomicJSONStorage, folder: str) -> str:
        if broken in self.path:
            raise OSError(28, "No space left on device")
        return real(self, folder)

    monkeypatch.setattr(atomic_mod.AtomicJSONStorage, "stage", flaky)
    with pytest.raises(OSError, match="No space left"), engine.store.transaction():
        for sid in sids:
            engine.append(sid, "assistant", "second")
    monkeypatch.setattr(atomic_mod.AtomicJSONStorage, "stage", real)
    # every file is whole: the failed family kept its old content, memory matches disk
    assert [len(engine.transcript(s)) for s in sids][3] == 1
    reopened = Engine.open(isolated_env)
    for sid in sids:  # each family is the old one or the new one, never torn
        texts = [m.text for m in reopened.transcript(sid)]
        assert texts in ([f"hello {sid}"], [f"hello {sid}", "second"])
        assert texts == [f"hello {sid}"]  # and the commit was all or nothing: nothing
    assert not reopened.problems
    assert not list((isolated_env / "staging").iterdir())  # no temp file left behind
