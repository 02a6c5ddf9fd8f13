"""Benchmark helpers: timing, percentiles and the rows of the results table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the results table: a figure, the target or reference, their ratio."""

    name: str
    figure: float
    unit: str
    reference: str
    ratio: float | None = None
    ok: bool | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of `repeat` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
