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


def _paint_counter(screen: Any) -> tuple[list[float], list[asyncio.Future[None]]]:
    """Paint times on `screen` (perf_counter), recorded as its compositor refreshes, and
    the futures waiting for its next paint (each paint resolves them)."""
    found = screen.__dict__.get("_bench_paints")
    if found is None:
        paints: list[float] = []
        waiters: list[asyncio.Future[None]] = []
        found = screen.__dict__["_bench_paints"] = (paints, waiters)
        inner = screen._compositor_refresh

        def counted() -> None:
            inner()
            paints.append(time.perf_counter())
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
            waiters.clear()

        screen._compositor_refresh = counted
    return found


async def painted(pilot: Any, timeout: float = 10.0) -> float:
    """The time of the first paint after the call (see `settled`)."""
    return (await settled(pilot, timeout))[0]


async def settled(pilot: Any, timeout: float = 10.0) -> tuple[float, float]:
    """Wait until the screen has painted since the call and is quiet: every widget has
    handled its pending messages, no paint happened meanwhile, and no layout, scroll or
    repaint is pending (a mount settles over two or three layout passes). Returns the
    times of the first and of the last paint after the call: when the change first
    shows, and when the screen stopped changing.

    Until that first paint it only awaits a future the paint resolves: it adds no work
    to the event loop, so the frame is timed as a user's terminal would see it.
    `Pilot.pause()` is not used to time UI work: it waits for the process to look idle
    in steps of 20 ms (textual._wait.SLEEP_GRANULARITY), and `Pilot._wait_for_screen()`
    (used here to see the quiet after the paint) sends a callback to every widget, work
    the app would then do alongside the frame being timed."""
    screen = pilot.app.screen
    paints, waiters = _paint_counter(screen)
    start, deadline = len(paints), time.perf_counter() + timeout
    waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    waiters.append(waiter)
    try:
        await asyncio.wait_for(waiter, timeout)
    except TimeoutError:
        now = time.perf_counter()
        return now, now
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
        if len(paints) == before and not pending:
            break
    return paints[start], paints[-1]
