"""Store benchmark: append, fork and listing cost across store sizes (issue: engine foundation).

Targets: append and fork flat with store size (largest/smallest <= 1.5), append p50 <= 5 ms
including fsync, listing 10k sessions <= 50 ms. Start-up lists session rows (the
index's ordering fields), not whole sessions: both are timed, each in a fresh process
with collection paused, as the app starts.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.common import Row, p50, timed
from tests.bench.make_store import make_store
from tui.engine import Engine
from tui.engine.store import TinyDBStore

SIZES = [(100, 1_000), (1_000, 10_000), (10_000, 100_000)]
REPEAT = 60


COLD_LIST = """
import gc, sys, time
gc.disable()  # as the app starts (tui/launch.py)
from tui.engine import Engine
start = time.perf_counter()
getattr(Engine.open(sys.argv[1]), sys.argv[2])()
print((time.perf_counter() - start) * 1000)
"""


def _cold_list(home: Path, method: str) -> float:
    """Milliseconds to open the store and list it in a fresh process, as a start-up
    does (in this one, the other benchmarks' heap would be walked by collections)."""
    out = subprocess.run(
        [sys.executable, "-c", COLD_LIST, str(home), method],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return float(out.stdout)


def _measure(home: Path, sessions: int, messages: int) -> dict[str, float]:
    make_store(home, sessions, messages, forks=1)
    engine = Engine(TinyDBStore(home))
    ids = [s.id for s in engine.sessions()]
    rng = random.Random(1)
    targets = [rng.choice(ids) for _ in range(REPEAT)]
    for sid in targets:  # warm the per-family files the way a running app has them
        engine.transcript(sid)
    it = iter(targets)
    append = timed(lambda: engine.append(next(it), "user", "one more question"), REPEAT)
    it = iter(targets)
    fork = timed(lambda: engine.fork(next(it)), REPEAT)
    cold = [_cold_list(home, "sessions") for _ in range(3)]
    cold_rows = [_cold_list(home, "session_rows") for _ in range(3)]
    warm = timed(engine.sessions, 5)
    return {
        "append": p50(append),
        "fork": p50(fork),
        "list_cold": p50(cold),
        "rows_cold": p50(cold_rows),
        "list_warm": p50(warm),
        "count": len(ids),
    }


def run() -> list[Row]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for sessions, messages in SIZES:
            results[messages] = _measure(Path(tmp) / str(messages), sessions, messages)
    small, large = results[SIZES[0][1]], results[SIZES[-1][1]]
    rows = []
    for _sessions, messages in SIZES:
        r = results[messages]
        label = f"{messages // 1000}k msgs/{int(r['count'])} sessions"
        rows.append(
            Row(
                f"store append p50 ({label})",
                r["append"],
                "ms",
                "<= 5 ms",
                r["append"] / small["append"],
                r["append"] <= 5,
            )
        )
        rows.append(
            Row(f"store fork p50 ({label})", r["fork"], "ms", "flat", r["fork"] / small["fork"])
        )
    rows.append(
        Row(
            "store append: largest / smallest",
            large["append"] / small["append"],
            "x",
            "<= 1.5",
            None,
            large["append"] / small["append"] <= 1.5,
        )
    )
    rows.append(
        Row(
            "store fork: largest / smallest",
            large["fork"] / small["fork"],
            "x",
            "<= 1.5",
            None,
            large["fork"] / small["fork"] <= 1.5,
        )
    )
    rows.append(
        Row(
            f"store list {int(large['count'])} sessions (cold open)",
            large["list_cold"],
            "ms",
            "<= 50 ms",
            None,
            large["list_cold"] <= 50,
        )
    )
    rows.append(
        Row(
            f"store list {int(large['count'])} session rows (cold open: what start-up reads)",
            large["rows_cold"],
            "ms",
            "<= 50 ms",
            None,
            large["rows_cold"] <= 50,
        )
    )
    rows.append(
        Row(
            f"store list {int(large['count'])} sessions (warm)",
            large["list_warm"],
            "ms",
            "<= 50 ms",
            None,
            large["list_warm"] <= 50,
        )
    )
    return rows
