"""The new content of a commit's files in temp files, several at once through threads
(writing and syncing a file mostly waits on the disk, and frees the GIL)."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor, wait

from tui.engine.store.tinydb_files import StoreFile

PARALLEL_FLUSH = 8  # files written by one commit before threads help
WRITERS = 4


class Stager:
    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._writers: ThreadPoolExecutor | None = None

    def stage(self, files: list[StoreFile]) -> list[tuple[StoreFile, str]]:
        """Each file with its temp file; on a failure none is left behind."""
        if len(files) < PARALLEL_FLUSH:
            return [(f, f.storage.stage(self.folder)) for f in files]
        if self._writers is None:
            self._writers = ThreadPoolExecutor(WRITERS, thread_name_prefix="forktree-store")
        futures = [self._writers.submit(f.storage.stage, self.folder) for f in files]
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
        if self._writers is not None:
            self._writers.shutdown(wait=True)
            self._writers = None
