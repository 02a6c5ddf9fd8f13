"""Parsing Claude Code files in worker processes, for imports big enough to pay for them.

Parsing is most of an import's time, and threads cannot share it (the GIL). A worker
reads a file, parses it, builds its families and writes each family's whole store file
to a temp file in the store's `incoming()` folder (synced); it hands back only the
sessions and the temp file's name, and the store moves the file into place at its
commit. Parsed objects would cost more to send between processes than to make, and the
importing process is left with the commits. Only files the store has never seen go to
the workers (a changed file merges with what the store holds, in the importing process).

The pool is util.process_pool's (see there how workers start).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.engine.importers.claude_code_families import build_families
from tui.engine.importers.claude_code_parse import TranscriptParser
from tui.engine.importers.jsonl import parse_files
from tui.engine.store.atomic import stage
from tui.engine.store.tinydb_files import encode_family
from tui.engine.util.process_pool import OrderedPool

PARALLEL_BYTES = 16 * 1024 * 1024  # new input below this is parsed in the importing process
AHEAD_BYTES = 192 * 1024 * 1024  # input given out ahead, so the workers never wait on a
# commit: what they made of it waits on disk (what crosses back is its sessions' docs)


@dataclass
class Encoded:
    """One family ready for the store: its sessions, and its whole file, written."""

    root_id: str
    sessions: list[dict[str, Any]]  # as stored (they cross to the importing process)
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
        Encoded(f.root_id, [s.to_dict() for s in f.sessions],
                stage(encode_family(f.sessions, f.docs()), folder, sync=False),
                len(f.nodes))
        for f in built.families
    ]  # fmt: skip
    return Prepared(families, built.forks, parsed.skipped)


def discard(prepared: Prepared) -> None:
    """Remove the files of a prepared group that is not taken."""
    for family in prepared.families:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(family.staged)


def workers(jobs: Iterable[tuple[list[str], str, int]], count: int, folder: Path,
            ) -> OrderedPool[Prepared]:  # fmt: skip
    """A pool preparing file groups, jobs (paths, source, input bytes), into `folder`;
    AHEAD_BYTES of input given out at most."""
    return OrderedPool(
        prepare,
        (((paths, source, str(folder)), size) for paths, source, size in jobs),
        count,
        AHEAD_BYTES,
        [__name__],
    )
