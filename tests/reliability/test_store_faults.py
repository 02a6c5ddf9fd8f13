"""The write path interrupted at every step, corrupt files at start-up, an old format,
and many processes on one store: the store is always the old or the new state."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.store import TinyDBStore
from tui.engine.store import atomic as atomic_mod

OPS = int(os.environ.get("FORKTREE_SOAK_OPS", "150"))


def _state(home: Path) -> list[tuple[str, str | None, list[str]]]:
    engine = Engine.open(home)
    return sorted(
        (s.title, s.head_id, [m.text for m in engine.transcript(s.id)])
        for s in engine.sessions(include_archived=True)
    )


@pytest.mark.parametrize("step", ["before_fsync", "after_fsync", "before_replace", "between_files"])
@pytest.mark.parametrize("operation", ["append", "fork", "rename", "delete"])
def test_every_write_step_leaves_old_or_new_state(
    isolated_env: Path, step: str, operation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine.open(isolated_env)
    sid = engine.new_session(title="target").id
    engine.append(sid, "user", "one")
    engine.append(sid, "assistant", "two")
    other = engine.fork(sid, title="other").id
    old = _state(isolated_env)
    twin = isolated_env.parent / "twin"  # the same write, with nothing failing: the new state
    shutil.copytree(isolated_env, twin)
    twin_engine = Engine.open(twin)
    {
        "append": lambda: twin_engine.append(sid, "user", "three"),
        "fork": lambda: twin_engine.fork(sid, title="new fork"),
        "rename": lambda: twin_engine.rename(sid, "renamed"),
        "delete": lambda: twin_engine.delete(other),
    }[operation]()
    new = _state(twin)
    calls = {"n": 0}
    real_fsync, real_replace = os.fsync, os.replace

    def boom() -> None:
        raise OSError(f"simulated crash {step}")

    def fsync(fd: int) -> None:
        if step == "before_fsync":
            boom()
        real_fsync(fd)
        if step == "after_fsync":
            boom()

    def replace(a: str, b: str) -> None:
        calls["n"] += 1
        if step == "before_replace" or (step == "between_files" and calls["n"] == 2):
            boom()
        real_replace(a, b)

    monkeypatch.setattr(atomic_mod.os, "fsync", fsync)
    monkeypatch.setattr(atomic_mod.os, "replace", replace)
    with pytest.raises(OSError, match="simulated"):
        {
            "append": lambda: engine.append(sid, "user", "three"),
            "fork": lambda: engine.fork(sid, title="new fork"),
            "rename": lambda: engine.rename(sid, "renamed"),
            "delete": lambda: engine.delete(other),
        }[operation]()
    monkeypatch.undo()
    after = _state(isolated_env)
    engine2 = Engine.open(isolated_env)
    if step == "between_files":  # past the commit point: the next open finishes it

        def texts(state: list[tuple[str, str | None, list[str]]]) -> list[object]:
            return [(title, messages) for title, _, messages in state]  # ids are new ones

        assert after == old or texts(after) == texts(new)
    else:
        assert after == old  # every session reads as before the failed write
    engine2.append(sid, "user", "the store still takes writes")
    leftovers = [p for p in isolated_env.rglob(".tmp-*")]
    assert not leftovers


@pytest.mark.parametrize(
    "damage", [b"", b'{"sessions": {', b"\x00\xff\xfe garbage", b"[]", b'{"sessions": 3}']
)
def test_corrupt_files_at_start_up_are_named_and_moved_aside(
    isolated_env: Path, damage: bytes
) -> None:
    engine = Engine.open(isolated_env)
    keep = engine.new_session(title="keep me").id
    engine.append(keep, "user", "precious")
    lose = engine.new_session(title="damaged").id
    engine.append(lose, "user", "in the damaged file")
    family = next(p for p in (isolated_env / "families").rglob(f"{lose}.json"))
    family.write_bytes(damage)
    (isolated_env / "store.json").write_bytes(b"not json")
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "list"],
        capture_output=True,
        text=True,
        env=dict(os.environ, FORKTREE_HOME=str(isolated_env)),
    )
    assert proc.returncode == 0 and "keep me" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "show", lose],
        capture_output=True,
        text=True,
        env=dict(os.environ, FORKTREE_HOME=str(isolated_env)),
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(family) in proc.stderr and "moved aside" in proc.stderr
    assert [m.text for m in Engine.open(isolated_env).transcript(keep)] == ["precious"]


def test_an_older_format_is_upgraded_with_a_backup(isolated_env: Path) -> None:
    engine = Engine.open(isolated_env)
    sid = engine.new_session(title="old").id
    engine.append(sid, "user", "a")
    engine.append(sid, "assistant", "b")
    fork = engine.fork(sid, at=engine.transcript(sid)[0].id)
    assert fork.fork_depth == 0
    for path in list(isolated_env.rglob("*.json")):  # write it as format 1 did
        if path.name == "store.json":
            path.write_text(json.dumps({"format": 1}))
            continue
        data = json.loads(path.read_text())
        for doc in data.get("sessions", {}).values():
            doc.pop("fork_depth", None)
        path.write_text(json.dumps(data))
    store = TinyDBStore(isolated_env)
    assert any(
        "upgraded the store from format 1 to 2 (1 session(s) changed)" in p for p in store.problems
    )
    assert store.get_session(fork.id).fork_depth == 0
    backups = list(isolated_env.glob("backup-format1-*"))
    assert len(backups) == 1 and (backups[0] / "index").is_dir()
    assert json.loads((isolated_env / "store.json").read_text())["format"] == 2
    assert not TinyDBStore(isolated_env).problems  # upgraded once


WORKER = """
import random, sys
from tui.engine import Engine
engine = Engine.open(sys.argv[1])
sid, tag, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(tag)
for i in range(count):
    op = rng.random()
    if op < 0.6:
        engine.append(sid, "user", f"{tag}-{i}")
    elif op < 0.8:
        engine.fork(sid, title=f"{tag}-fork-{i}")
    else:
        engine.rename(sid, f"{tag}-title-{i}")
print(count)
"""


@pytest.mark.timeout_budget
def test_three_processes_on_one_store_lose_nothing(isolated_env: Path) -> None:
    engine = Engine.open(isolated_env)
    sid = engine.new_session().id
    tags = ("a", "b", "c")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(isolated_env), sid, tag, str(OPS)],
            stdout=subprocess.PIPE,
        )
        for tag in tags
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    import random

    texts = [m.text for m in engine.transcript(sid)]
    titles = {s.title for s in engine.sessions()}
    for tag in tags:
        rng = random.Random(tag)
        expected_appends, expected_forks = [], []
        for i in range(OPS):
            op = rng.random()
            if op < 0.6:
                expected_appends.append(f"{tag}-{i}")
            elif op < 0.8:
                expected_forks.append(f"{tag}-fork-{i}")
        assert [t for t in texts if t.startswith(f"{tag}-")] == expected_appends
        assert set(expected_forks) <= titles
    for path in isolated_env.rglob("*.json"):
        json.loads(path.read_text())  # no torn file anywhere
