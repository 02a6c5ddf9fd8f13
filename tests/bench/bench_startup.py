"""Start-up as history grows: stores of 1k, 10k and 100k sessions (10 messages each;
FORKTREE_BENCH_STARTUP_MESSAGES sets the per-session count, 100 makes the 10M-message
store), each start in a fresh process as a user starts it (startup_child), taking
turns. Both starts: on the frame the last start saved, and with none saved (the first
start after a change), which does all the work a start does.

Target: flat, the largest store's first paint <= 1.2x the smallest's."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.bench_scale import _compiled, _startup
from tests.bench.common import Row, p50
from tests.bench.make_store import make_store

SIZES = (1_000, 10_000, 100_000)
PER_SESSION = int(os.environ.get("FORKTREE_BENCH_STARTUP_MESSAGES", "10"))
STARTUPS = 5


def run() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        homes = {}
        for size in SIZES:
            homes[size] = Path(tmp) / str(size) / "home"
            start = time.perf_counter()
            make_store(homes[size], size, size * PER_SESSION, forks=1)
            print(f"  made {size} sessions in {time.perf_counter() - start:.0f}s", file=sys.stderr)
        _compiled()
        kept = Path(tmp) / "kept"
        for size in SIZES:
            _startup("forktree", homes[size], kept / str(size))  # the frame to start on
        cold: dict[int, list[float]] = {}
        framed: dict[int, list[float]] = {}
        for i in range(STARTUPS):
            for size in SIZES:
                home = homes[size]
                framed.setdefault(size, []).append(_startup("forktree", home, kept / str(size))[0])
                fresh = Path(tmp) / "none" / f"{size}-{i}"
                cold.setdefault(size, []).append(_startup("forktree", home, fresh)[0])
        for label, runs in (("saved frame", framed), ("no saved frame", cold)):
            small = p50(runs[SIZES[0]])
            for size in SIZES:
                figure = p50(runs[size])
                last = size == SIZES[-1]
                rows.append(
                    Row(
                        f"startup to first paint, {size} sessions ({label}) p50",
                        figure,
                        "ms",
                        "<= 1.2x the 1k store" if last else "reference" if size == SIZES[0] else
                        "context",
                        figure / small,
                        figure / small <= 1.2 if last else None,
                    )
                )  # fmt: skip
    return rows
