"""Worker processes for the files of a big import that the store has never seen.

Parsing is most of an import's time, and threads cannot share it (the GIL). A worker
reads a file, parses it and writes each of its families' whole store file to a temp file
in the store's `incoming()` folder; it hands back only the sessions' documents and the
temp file's name, and the store's commit syncs the file and moves it into place
(`add_family`). Parsed objects would cost more to send between processes than to make.
A changed file merges with what the store holds, so it is read in the importing process.
The pool is util.process_pool's (see there how workers start).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from tui.engine.store.protocol import SessionStore
from tui.engine.util.process_pool import Job, OrderedPool, worker_count

PARALLEL_BYTES = 16 * 1024 * 1024  # new input below this is parsed in the importing process
BATCH_BYTES = 32 * 1024 * 1024  # input per transaction: what it holds stays bounded, and
# each index shard it touches is rewritten once per batch, not once per file
WORKER_SHARE = 4  # a worker's file weighs this much less in a batch: its families wait on
# disk, not in memory (128 MB a batch: 1.2x faster than 32 at 207 MB)
AHEAD_BYTES = 192 * 1024 * 1024  # input given out ahead, so the workers never wait on a
# commit: what they made of it waits on disk (what crosses back is its sessions' docs)
R = TypeVar("R")
T = TypeVar("T")


def batch_weight(size: int, by_worker: bool) -> int:
    """What a file of `size` input bytes weighs in a batch (see WORKER_SHARE)."""
    return size // WORKER_SHARE if by_worker else size


def batches(items: list[T], weights: list[int], limit: int) -> Iterator[list[T]]:
    """Consecutive runs of `items`, each ending with the item whose weight brings the
    run to `limit` or more (the last run takes what is left): one transaction each."""
    run: list[T] = []
    weight = 0
    for item, item_weight in zip(items, weights, strict=True):
        run.append(item)
        weight += item_weight
        if weight >= limit:
            yield run
            run, weight = [], 0
    if run:
        yield run


@dataclass
class Encoded:
    """One family ready for the store: its sessions, and its whole file, written."""

    root_id: str
    sessions: list[dict[str, Any]]  # as stored (they cross to the importing process)
    staged: str  # the temp file holding it
    count: int  # messages


def bulk_pool(
    store: SessionStore,
    work: Callable[..., R],
    jobs: list[Job],
    stack: contextlib.ExitStack,
    preload: list[str],
) -> OrderedPool[R] | None:
    """Workers running `work(*arguments, folder)` over `jobs` (arguments, input bytes),
    when they are input enough to pay for starting them and the store takes family
    files written elsewhere; None where they cannot start. Closed, with their folder,
    when `stack` is."""
    count = worker_count()
    if not count or sum(size for _, size in jobs) < PARALLEL_BYTES:
        return None
    if not hasattr(store, "add_family"):
        return None
    folder = str(stack.enter_context(store.incoming()))  # type: ignore[attr-defined]
    given = (((*arguments, folder), size) for arguments, size in jobs)
    try:
        pool = OrderedPool(work, given, count, AHEAD_BYTES, preload)
    except (OSError, ValueError, RuntimeError):  # no processes here (a sandbox, no
        return None  # /dev/shm): the importing process reads every file
    stack.callback(pool.close)
    return pool


def take(store: SessionStore, families: list[Encoded]) -> bool:
    """Hand these families' files to the store when it holds none of them (True);
    else remove the files (False): the families merge with the store's, read again in
    the importing process."""
    if any(store.has_family(f.root_id) for f in families):  # type: ignore[attr-defined]
        for family in families:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(family.staged)
        return False
    add_family = store.add_family  # type: ignore[attr-defined]
    with store.transaction():
        for family in families:
            add_family(family.root_id, family.sessions, family.staged)
    return True
