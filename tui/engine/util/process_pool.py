"""Bulk work in worker processes, taken back in order, with a bound on what waits.

For CPU-bound Python work over many independent items (parsing files, reading store
files): threads cannot share it (the GIL). Workers start from a clean server process
(forkserver; spawn where there is none), never forked from the caller, which may run
threads. The program's main module is run again in them only if it has no
`if __name__ == "__main__":` guard (the multiprocessing rule).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from tui.engine.util.gcpause import hold_full_collections

R = TypeVar("R")
NICE = 5  # workers' scheduling priority below the caller's
Job = tuple[tuple[Any, ...], int]  # (arguments, weight: what its result holds, roughly)


def worker_count() -> int:
    """One worker per core the process may use, up to 4; 0 on one core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 0 if (cores or 1) < 2 else min(cores or 1, 4)


def _start_worker() -> None:
    # Ctrl+C reaches the whole process group: the calling process stops the pool
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the caller may be a full-screen app on this terminal: a worker never writes to it
    # (what fails in a worker comes back to the caller as its exception)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    if hasattr(os, "nice"):  # the app's own thread comes first on a busy machine
        os.nice(NICE)
    hold_full_collections()  # a worker keeps one item's objects at a time


_HELPERS = threading.Lock()


def _start_helpers(server: bool) -> None:
    """Start multiprocessing's helper processes (its resource tracker, the forkserver)
    with /dev/null as the stderr they are given by file number: in a full-screen app
    `sys.stderr` is a capture with no file number (the tracker would not start), and
    what they might print is not for that terminal."""
    from multiprocessing import forkserver, resource_tracker

    with _HELPERS:
        saved = sys.stderr
        try:
            with open(os.devnull, "w") as quiet:
                sys.stderr = quiet
                resource_tracker.ensure_running()
                if server:
                    forkserver.ensure_running()
        finally:
            sys.stderr = saved


class OrderedPool(Generic[R]):
    """`work(*arguments)` for each job, in `count` worker processes; results come back
    in the order of the jobs, with at most `ahead` weight of them given out (and at
    least one job per worker)."""

    def __init__(self, work: Callable[..., R], jobs: Iterable[Job], count: int, ahead: int,
                 preload: list[str]) -> None:  # fmt: skip
        methods = multiprocessing.get_all_start_methods()
        server = "forkserver" in methods
        context = multiprocessing.get_context("forkserver" if server else "spawn")
        if server:  # modules the workers import once, in the server
            context.set_forkserver_preload(preload)
        _start_helpers(server)
        self._pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker)
        self._work, self._count, self._limit = work, count, ahead
        self._jobs = iter(jobs)
        self._pending: deque[tuple[Future[R] | None, int]] = deque()
        self._ahead = 0  # weight given out and not taken back
        self._fill()

    @property
    def pids(self) -> list[int]:
        """The worker processes' ids (a bench reads their memory)."""
        return list(self._pool._processes or ())

    def _fill(self) -> None:
        while self._ahead < self._limit or len(self._pending) < self._count:
            job = next(self._jobs, None)
            if job is None:
                return
            arguments, weight = job
            try:
                future: Future[R] | None = self._pool.submit(self._work, *arguments)
            except (BrokenProcessPool, RuntimeError):  # a worker died: the pool is closed
                future = None
            self._pending.append((future, weight))
            self._ahead += weight

    def next(self) -> R | None:
        """The next job's result, in order; None if its worker failed (killed, out of
        memory; or a bug): the caller does that job itself."""
        future, weight = self._pending.popleft()
        self._ahead -= weight
        self._fill()
        if future is None:
            return None
        try:
            return future.result()
        except Exception:
            return None

    def close(self) -> None:
        """Stop: jobs not started are dropped, running ones finish."""
        self._pool.shutdown(wait=True, cancel_futures=True)
