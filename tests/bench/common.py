"""Benchmark helpers: timing, percentiles and the rows of the results table."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


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


def _paint_counter(screen: Any) -> list[float]:
    """Paint times on `screen` (perf_counter), recorded as its compositor refreshes."""
    paints = screen.__dict__.get("_bench_paints")
    if paints is None:
        paints = screen.__dict__["_bench_paints"] = []
        inner = screen._compositor_refresh

        def counted() -> None:
            inner()
            paints.append(time.perf_counter())

        screen._compositor_refresh = counted
    return paints


async def painted(pilot: Any, timeout: float = 10.0) -> float:
    """Wait until the screen has painted since the call and is quiet: every widget has
    handled its pending messages, no paint happened meanwhile, and no layout, scroll or
    repaint is pending (a mount settles over two or three layout passes). Returns the
    time of the first paint after the call.

    `Pilot.pause()` is not used to time UI work: it waits for the process to look idle
    in steps of 20 ms (textual._wait.SLEEP_GRANULARITY), so every figure would carry
    at least 20 ms of the test harness's own sleep. This only yields while it waits."""
    screen = pilot.app.screen
    paints = _paint_counter(screen)
    start, deadline = len(paints), time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        before = len(paints)
        await pilot._wait_for_screen()
        await asyncio.sleep(0)
        pending = (
            screen._layout_required
            or screen._scroll_required
            or screen._repaint_required
            or screen._dirty_widgets
        )
        if len(paints) > start and len(paints) == before and not pending:
            return paints[start]
    return paints[start] if len(paints) > start else time.perf_counter()
