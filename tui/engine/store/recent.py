"""The most recently active session families, kept beside the TinyDB store's index.

A start shows the newest families first; finding them in the sharded index means
reading every session of the store, which grows with it (100k sessions: ~1 s before
anything is drawn). `index/recent-families` (JSON) holds what a start needs: the
session docs of the KEEP most recently active families (a family's activity: its
newest session's `updated`), a floor (no family left out was active after it), the
count of unarchived sessions, and each index shard's signature as it was read.

It is a cache, not part of a commit: the app writes it when it has read the whole
index (`save`), and a reader checks every shard's signature (`read`): a shard written
since (by any process, or an older forktree) is read again and its sessions replace
what the list said of them; a family that became newer than the floor is read from its
family file. Past STALE_SHARDS changed shards, or with no list, the caller lists the
whole index instead. The docs leave out the system prompt (of unbounded size, and not
shown on the tree).
"""

from __future__ import annotations

import contextlib
import heapq
from collections.abc import Callable, Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from tui.engine.sessions.model import Session, SessionRow
from tui.engine.store.atomic import Signature, write_atomic
from tui.engine.store.tinydb_files import BAD_RECORD, shard_of

RECENT = "index/recent-families"  # not a shard: shards end in .json
KEEP = 100  # families kept: more than a screen shows
STALE_SHARDS = 32  # shards written since the list, past which the index is read whole
LEFT_OUT = frozenset({"system_prompt"})
VERSION = 1

Doc = Mapping[str, Any]


class RecentFamilies:
    """The newest families' sessions, as a start shows them."""

    def __init__(self, families: list[list[SessionRow]], docs: dict[str, Any],
                 floor: float | None, shown: int) -> None:  # fmt: skip
        self.families = families  # most recently active first
        self.floor = floor  # no family left out was active after it; None: none left out
        self.shown = shown  # the store's unarchived sessions, in the list or not
        self._docs = docs
        self._sessions: dict[str, Session] = {}

    @property
    def complete(self) -> bool:
        """Every family of the store is here."""
        return self.floor is None

    def session(self, session_id: str) -> Session | None:
        """A session of these families as the tree shows it (without its system prompt),
        decoded when first asked for; None when it is not here or does not read."""
        session = self._sessions.get(session_id)
        if session is None and session_id in self._docs:
            try:
                session = Session.from_dict(self._docs[session_id])
            except BAD_RECORD:
                return None
            self._sessions[session_id] = session
        return session


def shown(doc: Doc | None) -> int:
    """1 for an unarchived session's doc, 0 for an archived one or none."""
    return int(doc is not None and not doc.get("archived", False))


def _time(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _active(docs: Mapping[str, Doc]) -> float:
    return max((_time(d.get("updated")) for d in docs.values()), default=0.0)


def _root(doc: Doc) -> str | None:
    root = doc.get("root_id") or doc.get("id")
    return root if isinstance(root, str) else None


def save(path: Path, shards: Mapping[str, tuple[Signature | None, Mapping[str, Doc]]]) -> None:
    """Write the list from every shard's docs as read (with the signature each had
    then), unless the list there was made from the same shards. A cache: a failure to
    write it is not an error (nor a shard's docs changing while this reads them: the
    signature it keeps is the older one, so a reader reads that shard again)."""
    sigs = {name: list(sig) if sig else None for name, (sig, _) in shards.items()}
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
        kept = orjson.loads(path.read_bytes())["shards"]
        if {name: entry["sig"] for name, entry in kept.items()} == sigs:
            return
    with contextlib.suppress(OSError, RuntimeError):  # (a dict changed size meanwhile)
        write_atomic(str(path), orjson.dumps(_list(shards, sigs)))


def _list(shards: Mapping[str, tuple[Signature | None, Mapping[str, Doc]]],
          sigs: Mapping[str, list[int] | None]) -> dict[str, Any]:  # fmt: skip
    active: dict[str, float] = {}  # each family's newest `updated`: one pass, no grouping
    for _, docs in shards.values():
        for doc in docs.values():
            root, when = _root(doc), _time(doc.get("updated"))
            if root is not None and when >= active.get(root, -1.0):
                active[root] = when
    top = heapq.nlargest(KEEP + 1, active.items(), key=itemgetter(1))
    floor = top[KEEP][1] if len(top) > KEEP else None
    kept: dict[str, dict[str, Any]] = {root: {} for root, _ in top[:KEEP]}
    for _, docs in shards.values():
        for sid, doc in docs.items():
            family = kept.get(_root(doc) or "")
            if family is not None:
                family[sid] = _shown_part(doc)
    return {
        "version": VERSION,
        "floor": floor,
        "shards": {
            name: {"sig": sigs[name], "shown": sum(map(shown, docs.values()))}
            for name, (_, docs) in shards.items()
        },
        "families": kept,
    }


def _shown_part(doc: Doc) -> dict[str, Any]:
    return {key: value for key, value in doc.items() if key not in LEFT_OUT}


def read(
    path: Path,
    signatures: Mapping[str, Signature | None],
    shard_docs: Callable[[str], Mapping[str, Doc]],
    family_docs: Callable[[str], Mapping[str, Doc]],
) -> RecentFamilies | None:
    """The list brought up to date with the shards written since it was saved
    (`signatures`: every shard's now); None when there is no list, it does not read,
    or too much changed. Raises what `shard_docs` and `family_docs` raise."""
    try:
        data = orjson.loads(path.read_bytes())
        if data.get("version") != VERSION:
            return None
        floor = data["floor"]
        recorded: dict[str, Any] = data["shards"]
        families: dict[str, dict[str, Doc]] = data["families"]
        changed = [
            name for name, sig in signatures.items()
            if sig is None or recorded.get(name, {}).get("sig") != list(sig)
        ] + [name for name in recorded if name not in signatures]  # fmt: skip
        if len(changed) > STALE_SHARDS:
            return None
        count = sum(int(entry["shown"]) for name, entry in recorded.items() if name not in changed)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    stale = set(changed)
    for docs in families.values():  # what the changed shards say replaces the list's
        for sid in [sid for sid in docs if shard_of(sid) in stale]:
            del docs[sid]
    wanted: set[str] = set()  # families newer than the floor, not in the list: read whole
    for name in changed:
        now = shard_docs(name) if signatures.get(name) is not None else {}
        for sid, doc in now.items():
            count += shown(doc)
            root = _root(doc)
            if root in families:
                families[root][sid] = _shown_part(doc)
            elif root is not None and (floor is None or _time(doc.get("updated")) > floor):
                wanted.add(root)
    for root in wanted:
        families[root] = {sid: _shown_part(doc) for sid, doc in family_docs(root).items()}
    return _families(families, floor, count)


def _families(
    families: dict[str, dict[str, Doc]], floor: float | None, count: int
) -> RecentFamilies | None:
    held = {root: docs for root, docs in families.items() if docs}
    order = sorted(held, key=lambda root: _active(held[root]), reverse=True)
    try:
        rows = [[SessionRow.from_dict(dict(d)) for d in held[root].values()] for root in order]
    except BAD_RECORD:
        return None
    docs = {sid: doc for root in order for sid, doc in held[root].items()}
    return RecentFamilies(rows, docs, floor, count)
