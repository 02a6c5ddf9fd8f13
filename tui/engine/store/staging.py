"""The new content of a commit's files in temp files, several at once through threads
(writing and syncing a file mostly waits on the disk, and frees the GIL)."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import Future, ThreadPoolExecutor, wait

from tui.engine.store.tinydb_files import StoreFile

PARALLEL_FLUSH = 8  # files written by one commit before threads help
WRITERS = 4


class Stager:
    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._writers: ThreadPoolExecutor | None = None
        self._early: dict[StoreFile, Future[str]] = {}  # staged before the commit

    def _pool(self) -> ThreadPoolExecutor:
        if self._writers is None:
            self._writers = ThreadPoolExecutor(WRITERS, thread_name_prefix="forktree-store")
        return self._writers

    def stage_now(self, file: StoreFile) -> None:
        """Start writing the temp file of `file` (changed for the last time before the
        commit) in a thread: a bulk load's files are written while it goes on."""
        self._early[file] = self._pool().submit(file.storage.stage, self.folder)

    def forget(self, file: StoreFile) -> None:
        """`file` changes again: what `stage_now` wrote of it is stale."""
        future = self._early.pop(file, None)
        if future is not None:
            _remove([future])

    @property
    def early(self) -> bool:
        """Whether any file is staged already (the commit goes through `stage`)."""
        return bool(self._early)

    def drop(self) -> None:
        """The commit is off: remove every file `stage_now` wrote."""
        _remove(list(self._early.values()))
        self._early.clear()

    def stage(self, files: list[StoreFile]) -> list[tuple[StoreFile, str]]:
        """Each file with its temp file; on a failure none is left behind."""
        if len(files) < PARALLEL_FLUSH and not self._early:
            return [(f, f.storage.stage(self.folder)) for f in files]
        early, self._early = self._early, {}
        futures = []
        for file in files:
            future = early.pop(file, None)
            futures.append(future or self._pool().submit(file.storage.stage, self.folder))
        _remove(list(early.values()))  # staged, then left out of the commit: never
        wait(futures)  # all finished before any failure is raised
        staged: list[tuple[StoreFile, str]] = []
        failure: BaseException | None = None
        for file, future in zip(files, futures, strict=True):
            try:
                staged.append((file, future.result()))
            except BaseException as exc:
                failure = exc
        if failure is not None:
            for _, tmp in staged:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
            raise failure
        return staged

    def close(self) -> None:
        self.drop()
        if self._writers is not None:
            self._writers.shutdown(wait=True)
            self._writers = None


def _remove(futures: list[Future[str]]) -> None:
    """Wait for these temp files, and remove them."""
    wait(futures)
    for future in futures:
        if future.exception() is None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(future.result())
