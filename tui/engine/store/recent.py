"""The most recently active session families, kept by the TinyDB store with each commit.

A start shows the newest families first; finding them in the sharded index means
reading every session of the store, which grows with it (100k sessions: ~1 s before
anything is drawn). `index/recent-families` (JSON) holds the session docs of the KEEP
most recently active families (a family's activity: its newest session's `updated`),
written in the same commit as the index, and a floor: no family left out of the file
was active after it. So the families above the floor are exactly the newest ones,
whole, and a store of at most KEEP families (floor None) is all in the file. It also
counts the store's unarchived sessions (the tree is laid out by how many there are).
Each commit that changes a session rewrites it (~120 KB: ~1.5 ms here), so the docs
leave out the one field of unbounded size a start does not show, the system prompt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tui.engine.sessions.model import Session, SessionRow
from tui.engine.store.errors import CorruptFileError
from tui.engine.store.tinydb_files import BAD_RECORD, StoreFile

RECENT = "index/recent-families"  # not a shard: shards end in .json
FAMILIES = "families"
META = "meta"
KEEP = 100  # families kept: more than a screen shows (each commit writes them all)
LEFT_OUT = frozenset({"system_prompt"})  # of unbounded size, and not on the tree

Docs = Mapping[str, Mapping[str, Any]]  # a family's session docs by session id


class RecentFamilies:
    """The newest families' sessions, as a start-up shows them."""

    def __init__(self, families: list[list[SessionRow]], docs: dict[str, Any],
                 floor: float | None, shown: int) -> None:  # fmt: skip
        self.families = families  # most recently active first
        self.floor = floor  # no family left out was active after it; None: none left out
        self.shown = shown  # the store's unarchived sessions, in the file or not
        self._docs = docs
        self._sessions: dict[str, Session] = {}

    @property
    def complete(self) -> bool:
        """Every family of the store is here."""
        return self.floor is None

    def session(self, session_id: str) -> Session | None:
        """A session of these families as the tree shows it (without its system prompt:
        the list does not keep it), decoded when first asked for; None when it is not
        here or does not read (then ask the store)."""
        session = self._sessions.get(session_id)
        if session is None and session_id in self._docs:
            try:
                session = Session.from_dict(self._docs[session_id])
            except BAD_RECORD:
                return None
            self._sessions[session_id] = session
        return session


def _active(docs: Docs) -> float:
    return max((_time(d.get("updated")) for d in docs.values()), default=0.0)


def shown(doc: Mapping[str, Any] | None) -> int:
    """1 for an unarchived session's doc, 0 for an archived one or none."""
    return int(doc is not None and not doc.get("archived", False))


def _time(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def is_seeded(file: StoreFile) -> bool:
    return "floor" in file.raw(META)


def seed(file: StoreFile, families: Mapping[str, Docs]) -> None:
    """Start the file over from every family of the store (its index, read whole)."""
    count = sum(shown(doc) for docs in families.values() for doc in docs.values())
    _write(file, {}, families, None, count)


def keep(file: StoreFile, changed: Mapping[str, Docs], shown_delta: int) -> None:
    """Put each changed family's session docs in the file (no docs: the family is
    gone), leaving out the least recently active beyond KEEP and raising the floor;
    `shown_delta` unarchived sessions more (or fewer) than before.
    Raises ValueError on a file that does not read as this list (then `seed` it)."""
    held = file.raw(FAMILIES)
    for root, entry in held.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("sessions"), dict)):
            raise ValueError(f"family {root[:40]!r} is not a list entry")
    _write(file, held, changed, _floor(file), _meta(file, "shown") + shown_delta)


def _write(file: StoreFile, held: Mapping[str, Any], changed: Mapping[str, Docs],
           floor: float | None, count: int) -> None:  # fmt: skip
    """The file's new content, straight to its storage (each commit writes it: TinyDB's
    table calls would copy the whole table once per call)."""
    entries = {root: entry for root, entry in held.items() if root not in changed}
    for root, docs in changed.items():
        if docs:
            entries[root] = {"active": _active(docs), "sessions": docs}
    if len(entries) > KEEP:
        order = sorted(entries, key=lambda root: _time(entries[root].get("active")), reverse=True)
        left_out = [_time(entries.pop(root).get("active")) for root in order[KEEP:]]
        floor = max([floor or 0.0, *left_out])
    for root, entry in entries.items():
        if root in changed:  # copies: the store's own docs change in place later
            entry["sessions"] = {sid: _shown_part(doc) for sid, doc in changed[root].items()}
    meta = {"floor": {"active": floor}, "shown": {"count": max(count, 0)}}
    file.storage.write({FAMILIES: entries, META: meta})
    file.memo.pop("__recent__", None)


def _shown_part(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in doc.items() if key not in LEFT_OUT}


def _floor(file: StoreFile) -> float | None:
    meta = file.raw(META).get("floor")
    value = meta.get("active") if isinstance(meta, dict) else None
    return float(value) if isinstance(value, int | float) else None


def _meta(file: StoreFile, name: str) -> int:
    meta = file.raw(META).get(name)
    value = meta.get("count") if isinstance(meta, dict) else None
    if not isinstance(value, int):
        raise ValueError(f"the list's {name} count is missing")
    return value


def load(file: StoreFile) -> RecentFamilies | None:
    """The file's families, newest first, read once per version of the file; None when
    it was never seeded (the caller lists the index instead)."""
    if not is_seeded(file):
        return None
    cached = file.memo.get("__recent__")
    if cached is None:
        held = file.raw(FAMILIES)
        order = sorted(held, key=lambda root: _time(held[root].get("active")), reverse=True)
        docs: dict[str, Any] = {}
        families = []
        for root in order:
            sessions = held[root].get("sessions")  # (a damaged entry raises: see caller)
            if not isinstance(sessions, dict):
                raise ValueError(f"family {root[:40]!r} without its sessions")
            families.append([SessionRow.from_dict(doc) for doc in sessions.values()])
            docs.update(sessions)
        shown = _meta(file, "shown")
        cached = file.memo["__recent__"] = RecentFamilies(families, docs, _floor(file), shown)
    return cached


def by_family(docs: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Mapping[str, Any]]]:
    """Session docs grouped by family, for `seed`."""
    out: dict[str, dict[str, Mapping[str, Any]]] = {}
    for doc in docs:
        sid, root = doc.get("id"), doc.get("root_id") or doc.get("id")
        if isinstance(sid, str) and isinstance(root, str):
            out.setdefault(root, {})[sid] = doc
    return out


def disagrees(file: StoreFile, index: Iterable[Mapping[str, Any]]) -> str | None:
    """How the file differs from the index's session docs (None: it does not), for the
    doctor: a family it holds not as listed, or a newer one it left out."""
    try:
        if not is_seeded(file):
            return "it was never made"
        held = file.raw(FAMILIES)
        floor = _floor(file)
    except CorruptFileError as exc:
        return exc.reason
    families = by_family(index)
    count = sum(shown(doc) for docs in families.values() for doc in docs.values())
    try:
        if _meta(file, "shown") != count:
            return f"it counts {_meta(file, 'shown')} unarchived sessions, the index {count}"
    except ValueError as exc:
        return str(exc)
    for root, entry in held.items():
        sessions = entry.get("sessions") if isinstance(entry, dict) else None
        listed = {sid: _shown_part(doc) for sid, doc in families.get(root, {}).items()}
        if sessions != listed:
            return f"family {root[:8]} is not as the index lists it"
    for root, docs in families.items():
        if root not in held and (floor is None or _active(docs) > floor):
            return f"family {root[:8]} is newer than the list says it holds"
    return None


class RecentList:
    """A store's side of the list: what its transaction changed, written as it commits."""

    def __init__(self, open_file: Callable[[], StoreFile]) -> None:
        self._open = open_file
        self._file: StoreFile | None = None
        self.touched: set[str] = set()  # families whose sessions the transaction changed
        self.shown_delta = 0  # unarchived sessions it added (less those it took away)
        self.stale = False  # made again from the index at the next commit

    @property
    def file(self) -> StoreFile:
        if self._file is None:
            self._file = self._open()
            # made from the index: its loss in a power cut is noticed (an unreadable
            # file) and made good, and its folder is synced with the shard's anyway
            self._file.storage.durable = False
        return self._file

    def changed(self, root_id: str, old: Mapping[str, Any] | None,
                new: Mapping[str, Any] | None) -> None:  # fmt: skip
        """A session of `root_id` went from the index doc `old` to `new` (None: none)."""
        self.touched.add(root_id)
        self.shown_delta += shown(new) - shown(old)

    @property
    def due(self) -> bool:
        return bool(self.touched) or self.stale

    def forget(self) -> None:
        """The transaction ended (committed, or rolled back)."""
        self.touched.clear()
        self.shown_delta = 0

    def write(self, family_docs: Callable[[str], Docs],
              index_docs: Callable[[], Iterable[Mapping[str, Any]]]) -> None:  # fmt: skip
        """Put the transaction's changes in the file (in the store's commit); made from
        the whole index when it is missing, damaged or stale."""
        file = self.file
        try:
            seeded = not self.stale and is_seeded(file)
        except CorruptFileError:
            file.storage.write({})  # made again, below
            seeded = False
        if seeded:
            try:
                keep(file, {root: family_docs(root) for root in self.touched}, self.shown_delta)
            except BAD_RECORD:  # damaged, yet JSON
                seeded = False
        if not seeded:
            try:
                seed(file, by_family(index_docs()))
            except BAD_RECORD:  # a damaged index doc: no list (a start lists the index)
                file.storage.write({})
        self.stale = False

    def read(self) -> RecentFamilies | None:
        """The newest families; None when the file cannot say (it was never made, or is
        damaged: then this store's next commit makes it again)."""
        try:
            return load(self.file)
        except (CorruptFileError, *BAD_RECORD):
            self.stale = True
            return None

    def close(self) -> None:
        self._file = None
