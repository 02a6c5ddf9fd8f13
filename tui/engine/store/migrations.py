"""Upgrading an older store on open, with a backup kept.

Format history:
  1  sharded index + family files
  2  session docs carry `fork_depth` (the fork point's depth), so the tree can show
     where each fork starts without reading family files
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.engine.store.atomic import write_atomic
from tui.engine.store.errors import StoreError

if TYPE_CHECKING:
    from tui.engine.store.tinydb_store import TinyDBStore

FORMAT_VERSION = 2


def _add_fork_depth(store: TinyDBStore) -> int:
    changed = 0
    for path in sorted((store.home / "families").glob("*/*.json")):
        for session in store.family_sessions(path.stem):
            if session.fork_point_id and session.fork_depth is None:
                try:
                    point = store.get_message(session.root_id, session.fork_point_id)
                except Exception:  # a dangling fork point stays unknown
                    continue
                store.put_session(session.with_changes(fork_depth=point.depth))
                changed += 1
    return changed


STEPS: dict[int, Callable[[TinyDBStore], int]] = {2: _add_fork_depth}


def upgrade(store: TinyDBStore, version: int) -> str:
    """Back the store up, run every step after `version`; returns what was done."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = store.home / f"backup-format{version}-{stamp}"
    backup.mkdir()
    for part in ("index", "families", "store.json"):
        source = store.home / part
        if source.is_dir():
            shutil.copytree(source, backup / part)
        elif source.exists():
            shutil.copy2(source, backup / part)
    changed = 0
    with store.transaction():
        for target in range(version + 1, FORMAT_VERSION + 1):
            changed += STEPS[target](store)
    return (
        f"{store.home}: upgraded the store from format {version} to {FORMAT_VERSION} "
        f"({changed} session(s) changed); the old files are in {backup}"
    )


def check_format(store: TinyDBStore) -> None:
    """Read the store's format marker: upgrade an older store, refuse a newer one."""
    marker = store.home / "store.json"
    try:
        info = json.loads(marker.read_text())
        version = int(info["format"])
    except FileNotFoundError:
        version = None
    except (ValueError, KeyError, TypeError):
        store.problems.append(f"{marker}: unreadable format marker, rewritten")
        version = None
    if version is not None and version > FORMAT_VERSION:
        raise StoreError(
            f"{store.home} was written by a newer forktree (format {version}, "
            f"this one reads {FORMAT_VERSION}); upgrade forktree to open it"
        )
    if version is not None and version < FORMAT_VERSION:
        store.problems.append(upgrade(store, version))
    if version != FORMAT_VERSION:
        with store.transaction():
            write_atomic(str(marker), json.dumps({"format": FORMAT_VERSION}).encode())
