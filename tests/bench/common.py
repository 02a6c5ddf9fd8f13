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


_PAINTS: list[tuple[float, int]] = []  # (time, id of the screen) of each paint on screen
_WAITERS: list[asyncio.Future[None]] = []  # resolved by the next paint


def _count_paints() -> None:
    """Record every paint of the app's current screen, from now on in this process: a
    screen's first paint can happen before `push_screen` returns (as its mount ends)."""
    from textual.screen import Screen

    if getattr(Screen, "_bench_counted", False):
        return
    inner = Screen._compositor_refresh

    def counted(screen: Screen[Any]) -> None:
        on_top = screen.app.screen is screen
        inner(screen)
        if on_top:
            _PAINTS.append((time.perf_counter(), id(screen)))
            for waiter in _WAITERS:
                if not waiter.done():
                    waiter.set_result(None)
            _WAITERS.clear()

    Screen._compositor_refresh = counted  # type: ignore[method-assign]
    Screen._bench_counted = True  # type: ignore[attr-defined]


async def painted(pilot: Any, timeout: float = 10.0, since: float | None = None) -> float:
    """The time of the first paint after the call, or after `since` (see `settled`)."""
    return (await settled(pilot, timeout, since))[0]


async def settled(
    pilot: Any, timeout: float = 10.0, since: float | None = None
) -> tuple[float, float]:
    """Wait until the screen has painted since the call (or since `since`, a
    perf_counter time taken before a screen was pushed) and is quiet: every widget has
    handled its pending messages, no paint happened meanwhile, and no layout, scroll or
    repaint is pending (a mount settles over two or three layout passes). Returns the
    times of the first and of the last paint: when the change first shows, and when
    the screen stopped changing.

    Until that first paint it only awaits a future the paint resolves: it adds no work
    to the event loop, so the frame is timed as a user's terminal would see it.
    `Pilot.pause()` is not used to time UI work: it waits for the process to look idle
    in steps of 20 ms (textual._wait.SLEEP_GRANULARITY), and `Pilot._wait_for_screen()`
    (used here to see the quiet after the paint) sends a callback to every widget, work
    the app would then do alongside the frame being timed."""
    _count_paints()
    since = time.perf_counter() if since is None else since
    screen = pilot.app.screen
    deadline = since + timeout

    def paints() -> list[float]:
        return [at for at, which in _PAINTS if which == id(screen) and at >= since]

    while not paints():
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        _WAITERS.append(waiter)
        try:
            await asyncio.wait_for(waiter, max(0.0, deadline - time.perf_counter()))
        except TimeoutError:
            now = time.perf_counter()
            return now, now
    while time.perf_counter() < deadline:
        before = len(_PAINTS)
        await pilot._wait_for_screen()
        await asyncio.sleep(0)
        pending = (
            screen._layout_required
            or screen._scroll_required
            or screen._repaint_required
            or screen._dirty_widgets
        )
        if len(_PAINTS) == before and not pending:
            break
    shown = paints()
    return shown[0], shown[-1]
