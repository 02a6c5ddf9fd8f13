"""Parsing Claude Code files in worker processes, for imports big enough to pay for them.

Parsing is most of an import's time, and threads cannot share it (the GIL). A worker
reads a file, parses it, builds its families and writes each family's whole store file
to a temp file in the store's `incoming()` folder (synced); it hands back only the
sessions and the temp file's name, and the store moves the file into place at its
commit. Parsed objects would cost more to send between processes than to make, and the
importing process is left with the commits. Only files the store has never seen go to
the workers (a changed file merges with what the store holds, in the importing process).

The workers start from a clean server process (forkserver; spawn where there is
none), which imports this module: the program's main module is run again in them only
if it has no `if __name__ == "__main__":` guard (the multiprocessing rule).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tui.engine.importers.claude_code_families import build_families
from tui.engine.importers.claude_code_parse import TranscriptParser
from tui.engine.importers.jsonl import parse_files
from tui.engine.sessions.model import Session
from tui.engine.store.atomic import stage
from tui.engine.store.tinydb_files import encode_family
from tui.engine.util.gcpause import hold_full_collections

PARALLEL_BYTES = 16 * 1024 * 1024  # new input below this is parsed in the importing process
AHEAD_BYTES = 48 * 1024 * 1024  # input given out ahead: parsed, it waits in memory to be
# written, and the workers never wait on a commit (one per 32 MB of input, BATCH_BYTES)


@dataclass
class Encoded:
    """One family ready for the store: its sessions, and its whole file, written."""

    root_id: str
    sessions: list[Session]
    staged: str  # the temp file holding it
    count: int  # messages


@dataclass
class Prepared:
    """What a worker made of one file (and its subagent files)."""

    families: list[Encoded] = field(default_factory=list)
    forks: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    failed: str = ""  # why the file could not be read, if it could not


def prepare(paths: list[str], source: str, folder: str) -> Prepared:
    """Read, parse and encode one file group into `folder` (runs in a worker)."""
    parsed, why = parse_files([Path(p) for p in paths], TranscriptParser())
    if parsed is None:
        return Prepared(failed=why)
    built = build_families(parsed, source)
    families = [
        # not synced here: the commit syncs the files of each batch in threads at once
        Encoded(f.root_id, f.sessions,
                stage(encode_family(f.sessions, f.messages), folder, sync=False),
                len(f.messages))
        for f in built.families
    ]  # fmt: skip
    return Prepared(families, built.forks, parsed.skipped)


def discard(prepared: Prepared) -> None:
    """Remove the files of a prepared group that is not taken."""
    for family in prepared.families:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(family.staged)


def _start_worker() -> None:
    # Ctrl+C reaches the whole process group: the importing process stops the pool
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    hold_full_collections()  # what a worker keeps is one file's documents at a time


def worker_count() -> int:
    """One worker per core the process may use, up to 4; 0 on one core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 0 if (cores or 1) < 2 else min(cores or 1, 4)


class Workers:
    """Files parsed by a process pool, taken back in the order they were given; jobs are
    (paths, source, size), at most AHEAD_BYTES of them (or one per worker) given out."""

    def __init__(
        self, jobs: Iterable[tuple[list[str], str, int]], count: int, folder: Path
    ) -> None:
        methods = multiprocessing.get_all_start_methods()
        # forkserver: workers forked from a clean, preloaded server (never from this
        # process, which may run threads); spawn where there is no forkserver
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            context.set_forkserver_preload([__name__])
        self._pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker)
        self._count = count
        self._folder = str(folder)
        self._jobs = iter(jobs)
        self._pending: deque[tuple[Future[Prepared] | None, int]] = deque()
        self._ahead = 0  # input bytes given out and not taken back
        self._fill()

    def _fill(self) -> None:
        while self._ahead < AHEAD_BYTES or len(self._pending) < self._count:
            job = next(self._jobs, None)
            if job is None:
                return
            paths, source, size = job
            try:
                future: Future[Prepared] | None = self._pool.submit(
                    prepare, paths, source, self._folder
                )
            except (BrokenProcessPool, RuntimeError):  # a worker died: the pool is closed
                future = None
            self._pending.append((future, size))
            self._ahead += size

    def next(self) -> Prepared | None:
        """The next file's result, in order; None if its worker failed (the caller reads
        the file itself, where the failure is reported as it is)."""
        future, size = self._pending.popleft()
        self._ahead -= size
        self._fill()
        if future is None:
            return None
        try:
            return future.result()
        except Exception:  # a worker killed (out of memory), or a bug: not fatal
            return None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
