"""All-or-nothing commits across several store files, in the spirit of SQLite's journal.

A commit that changes more than one file:
  1. writes each file's new content to a temp file in `staging/` (fsynced);
  2. writes `journal.json`, naming every (temp file, target) move, and fsyncs it: the
     commit point;
  3. renames each temp file over its target, fsyncs their folders;
  4. removes the journal.
A crash before (2) leaves the old files and some temp files (rolled back: removed on the
next open); a crash after it leaves a journal, and the next write or open rolls the
moves forward. Either way
every file is all old or all new. Recovery runs under the store's write lock.

`FORKTREE_CRASH_POINT=<name>` kills the process at that named point: the crash tests
use it to stop a real commit at each step.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tui.engine.store.atomic import fsync_dir, write_atomic

JOURNAL = "journal.json"
STAGING = "staging"
INCOMING = "incoming"  # <pid>-<token>/: files other processes write for a bulk import
CRASH_POINTS = ("staged", "journaled", "renaming", "renamed")
PARALLEL_SYNC = 8  # folders of one commit before threads sync them
SYNC_THREADS = 4
_CRASH_AT = os.environ.get("FORKTREE_CRASH_POINT")


def crash_point(name: str) -> None:
    """Die here, as a kill would, when FORKTREE_CRASH_POINT names this point."""
    if name == _CRASH_AT:
        os.kill(os.getpid(), signal.SIGKILL)


def commit_files(home: Path, moves: list[tuple[str, str]]) -> None:
    """Move every staged temp file over its target, all or nothing (see above)."""
    journal = home / JOURNAL
    crash_point("staged")
    try:
        entries = [[os.path.relpath(tmp, home), os.path.relpath(dst, home)] for tmp, dst in moves]
        write_atomic(str(journal), json.dumps({"moves": entries}).encode())
        fsync_dir(str(home))
    except BaseException:
        for tmp, _ in moves:  # nothing is committed: roll back
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    crash_point("journaled")
    _roll_forward(home, moves)
    crash_point("renamed")
    os.unlink(journal)


def _roll_forward(home: Path, moves: list[tuple[str, str]]) -> int:
    done = 0
    folders: set[str] = set()
    for i, (tmp, dst) in enumerate(moves):
        try:
            os.replace(tmp, dst)
            done += 1
        except FileNotFoundError:
            if os.path.exists(tmp):  # a new folder
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                os.replace(tmp, dst)
                done += 1
            # else moved before the crash
        folders.add(os.path.dirname(dst))
        if i == 0:
            crash_point("renaming")
    _sync_folders(sorted(folders))
    return done


def _sync_folders(folders: list[str]) -> None:
    """fsync each folder; many at once through threads (each mostly waits on the disk,
    and frees the GIL): a bulk import's commit touches a hundred family folders."""
    if len(folders) < PARALLEL_SYNC:
        for folder in folders:
            fsync_dir(folder)
        return
    with ThreadPoolExecutor(SYNC_THREADS, thread_name_prefix="forktree-sync") as pool:
        list(pool.map(fsync_dir, folders))  # the first failure is raised, after all ran


def needs_recovery(home: Path) -> bool:
    """Cheap, lock-free: is there a journal, a temp file a writer left, or a bulk
    import's folder whose process is gone?"""
    if (home / JOURNAL).exists() or _abandoned(home):
        return True
    try:
        with os.scandir(home / STAGING) as entries:
            return any(True for _ in entries)
    except FileNotFoundError:
        return False


def incoming_folder(home: Path) -> Path:
    """A new folder under incoming/, named for this process."""
    folder = home / INCOMING / f"{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    return folder


def _abandoned(home: Path) -> list[Path]:
    """incoming/ folders of processes that are no longer running."""
    try:
        with os.scandir(home / INCOMING) as entries:
            names = [e.name for e in entries]
    except FileNotFoundError:
        return []
    gone = []
    for name in names:
        pid = name.partition("-")[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            gone.append(home / INCOMING / name)
        except PermissionError:  # running, as another user
            pass
    return gone


def finish_journal(home: Path) -> list[str]:
    """Roll a journaled commit forward (hold the write lock); notes on what it did."""
    notes: list[str] = []
    journal = home / JOURNAL
    if journal.exists():
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
            moves = [(str(home / tmp), str(home / dst)) for tmp, dst in data["moves"]]
        except (OSError, ValueError, KeyError, TypeError):
            # a journal is written atomically, so a bad one is not ours to trust: the
            # staged files it would name are removed below and the old state kept
            notes.append(f"{journal}: unreadable commit journal ignored; the old state kept")
            moves = []
        if moves:
            done = _roll_forward(home, moves)
            notes.append(
                f"completed a write another process was in the middle of ({done} of "
                f"{len(moves)} file(s) still to move)"
            )
        os.unlink(journal)
    return notes


def remove_staged(home: Path) -> int:
    """Remove temp files of writes that never committed, and the folders of bulk
    imports killed mid-way (hold the write lock, after `finish_journal`); how many
    files there were."""
    removed = 0
    with contextlib.suppress(FileNotFoundError), os.scandir(home / STAGING) as entries:
        for entry in entries:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
    for folder in _abandoned(home):
        removed += sum(1 for _ in folder.iterdir()) if folder.is_dir() else 0
        shutil.rmtree(folder, ignore_errors=True)
    return removed
