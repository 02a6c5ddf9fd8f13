"""A real `forktree` process killed at every named point of a multi-file commit, and at
random moments: the next open leaves every invariant holding, and the store reads as
before the command or after it, never between."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.store import TinyDBStore
from tui.engine.store.doctor import doctor
from tui.engine.store.journal import CRASH_POINTS

KILLS = int(os.environ.get("FORKTREE_SOAK_KILLS", "12"))
BROKEN = {"unlisted", "listed_without_family", "missing_head", "missing_ancestor", "cycle"}


def _base(home: Path) -> dict[str, str]:
    engine = Engine.open(home)
    a = engine.new_session(title="alpha").id
    engine.append(a, "user", "one")
    engine.append(a, "assistant", "two")
    b = engine.fork(a, title="alpha fork").id
    engine.append(b, "user", "three")
    old = engine.new_session(title="old one").id
    engine.append(old, "user", "ancient")
    export = home.parent / "tree.json"
    code = subprocess.run(
        [sys.executable, "-m", "tui", "--home", str(home), "export", a, "--tree",
         "--format", "json", "-o", str(export)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert code.returncode == 0, code.stderr
    engine.close()
    return {"a": a, "b": b, "old": old, "export": str(export)}


def _texts(home: Path) -> list[tuple[str, tuple[str, ...]]]:
    engine = Engine.open(home)
    state = sorted(
        (s.title, tuple(m.text for m in engine.transcript(s.id)))
        for s in engine.sessions(include_archived=True)
    )
    engine.close()
    return state


COMMANDS = {
    "import json": lambda ids: ["import", "json", ids["export"]],
    "rm": lambda ids: ["rm", ids["a"], "-y"],
    "cleanup --apply --delete": lambda ids: [
        "cleanup", "--match", "ancient", "--apply", "--delete", "-y"
    ],
    "fork": lambda ids: ["fork", ids["b"], "--title", "new fork"],
    "new": lambda ids: ["new", "--title", "fresh"],
}  # fmt: skip


def _check(home: Path, before: list[object], after: list[object]) -> float:
    started = time.monotonic()
    store = TinyDBStore(home)  # opening recovers what the killed process left
    recovery = time.monotonic() - started
    report = doctor(store)
    store.close()
    broken = [f for f in report.open_problems if f.kind in BROKEN]
    assert not broken, broken
    assert not report.open_problems, report.open_problems
    assert not list((home / "staging").iterdir())
    assert not (home / "journal.json").exists()
    assert _texts(home) in (before, after)
    return recovery


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("crash")
    ids = _base(root / "home")
    return root, ids


def _fresh(prepared: tuple[Path, dict[str, str]], tmp_path: Path, name: str) -> Path:
    root, _ = prepared
    home = tmp_path / name
    shutil.copytree(root / "home", home)
    return home


def _run(home: Path, args: list[str], crash: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, FORKTREE_HOME=str(home))
    env.pop("FORKTREE_CRASH_POINT", None)
    if crash:
        env["FORKTREE_CRASH_POINT"] = crash
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], env=env, capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_kill_at_every_crash_point_leaves_old_or_new(
    prepared: tuple[Path, dict[str, str]], tmp_path: Path, command: str
) -> None:
    _, ids = prepared
    args = COMMANDS[command](ids)
    clean = _fresh(prepared, tmp_path, "clean")
    before = _texts(clean)
    done = _run(clean, args)
    assert done.returncode == 0, done.stderr
    after = _texts(clean)
    assert after != before
    kills = 0
    for point in CRASH_POINTS:
        home = _fresh(prepared, tmp_path, point)
        crashed = _run(home, args, crash=point)
        assert crashed.returncode in (-signal.SIGKILL, 0), crashed.stderr
        kills += crashed.returncode == -signal.SIGKILL
        _check(home, before, after)
    assert kills >= 1  # every one of these commands commits several files at once


@pytest.mark.timeout_budget
def test_kills_at_random_moments_of_an_import(
    prepared: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    _, ids = prepared
    big = tmp_path / "big.json"
    data = json.loads(Path(ids["export"]).read_text())
    big.write_text(json.dumps(data))
    rng = random.Random(7)
    recoveries = []
    for i in range(KILLS):
        home = _fresh(prepared, tmp_path, f"r{i}")
        before = _texts(home)
        env = dict(os.environ, FORKTREE_HOME=str(home))
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui", "import", "json", str(big)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        clean = _fresh(prepared, tmp_path, f"c{i}")
        assert _run(clean, ["import", "json", str(big)]).returncode == 0
        recoveries.append(_check(home, before, _texts(clean)))
    print(f"\n{KILLS} random kills, 0 invariant violations, recovery max "
          f"{max(recoveries) * 1000:.1f} ms")  # fmt: skip
