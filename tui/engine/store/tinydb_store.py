"""The TinyDB session store: a sharded session index plus one message file per family.

Layout under the store home:
    store.json                       format version
    store.lock                       cross-process write lock
    index/<id[:2]>.json              TinyDB, table "sessions": one small doc per session
    index/recent-families            a cache of the newest families' sessions (recent.py)
    families/<root[:2]>/<root>.json  TinyDB, tables "sessions" and "messages" of one family
    quarantine/                      corrupt files moved aside, named in `problems`
    staging/, journal.json           a commit's new files, and its moves (journal.py)
    incoming/<pid>-<token>/          family files a bulk import's workers wrote (add_family)

A write rewrites a few small files (an index shard, one family): its cost does not grow
with the store. Family files hold their sessions' docs too, to rebuild a lost shard.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.engine.sessions.model import Message, Session, SessionRow
from tui.engine.store import recent
from tui.engine.store.atomic import signature
from tui.engine.store.errors import (
    CorruptFileError,
    NotFoundError,
    StoreError,
    StoreWriteError,
)
from tui.engine.store.journal import (
    JOURNAL,
    STAGING,
    commit_files,
    finish_journal,
    needs_recovery,
    remove_staged,
)
from tui.engine.store.migrations import check_format
from tui.engine.store.quarantine import quarantine
from tui.engine.store.staging import Stager
from tui.engine.store.store_lock import acquire, make_lock
from tui.engine.store.tinydb_bulk import FamilyLoads
from tui.engine.store.tinydb_files import (
    BAD_RECORD,
    MESSAGES,
    SAFE_ID,
    SESSIONS,
    StoreFile,
    decode_all,
    shard_of,
    str_doc,
    str_ids,
)

if TYPE_CHECKING:
    from filelock import FileLock

_LISTED: dict[type, str] = {Session: "__all__", SessionRow: "__rows__"}  # shard memo keys
FAMILY_CACHE_BYTES = 32 * 1024 * 1024  # of family files kept open (about 5x that decoded)


class TinyDBStore(FamilyLoads):
    """SessionStore over TinyDB files; see the module docstring for the layout."""

    def __init__(
        self, home: str | os.PathLike[str], lock_timeout: float = 10.0, family_cache: int = 256
    ) -> None:
        self.home = Path(home)
        if self.home.exists() and not self.home.is_dir():
            raise StoreError(f"{self.home} is a file, not a store folder (see --home)")
        self.problems: list[str] = []
        self.completed: list[str] = []  # commits of killed processes this store finished
        self.lock_timeout = lock_timeout
        self._family_cache = family_cache
        try:
            for sub in ("index", "families", "quarantine", STAGING):
                (self.home / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.home}: {exc.strerror}") from None
        self.staging = str(self.home / STAGING)
        self._file_lock: FileLock | None = None  # made by the first write
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._dirty: list[StoreFile] = []
        self._stager = Stager(self.staging)
        self._shards: dict[str, StoreFile] = {}
        self._families: OrderedDict[str, StoreFile] = OrderedDict()
        self._added: dict[str, StoreFile] = {}  # add_family's, until the commit (uncached)
        self._crowded = 0  # families open when _evict last found too few to close
        self.recover()
        self._check_format()

    def recover(self) -> tuple[list[str], int]:
        """Finish a commit a killed process left journaled (any write does), remove temp
        files of writes that never committed; cheap when there is nothing to do. Returns
        notes on the commits this store completed, and how many temp files it removed."""
        removed = 0
        if needs_recovery(self.home):
            with self.transaction():
                removed = remove_staged(self.home)
        return list(self.completed), removed

    # -- format ------------------------------------------------------------------------

    def _check_format(self) -> None:
        check_format(self)

    # -- transactions ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store lock; commit every touched file on success, drop them on error."""
        with self._thread_lock:
            if self._depth == 0:
                acquire(self._write_lock(), self.home, self.lock_timeout)
                if (self.home / JOURNAL).exists():  # a commit that stopped half-way
                    notes = finish_journal(self.home)
                    self.completed.extend(notes)
                    self.problems.extend(notes)
            self._depth += 1
            try:
                yield
            except BaseException:
                if self._depth == 1:
                    for file in self._dirty:
                        file.storage.discard()
                    self._dirty.clear()
                    self._added.clear()
                raise
            else:
                if self._depth == 1:
                    self._commit()
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._write_lock().release()
                    self._crowded = 0  # what was unwritten is written (or dropped):
                    self._evict()  # a big transaction's families need not stay open

    def _write_lock(self) -> FileLock:
        if self._file_lock is None:
            self._file_lock = make_lock(self.home)
        return self._file_lock

    def _commit(self) -> None:
        """One file: an atomic rename. Several: all or nothing, through the journal."""
        dirty = list(self._dirty)
        try:
            if len(dirty) == 1:
                dirty[0].storage.flush()
            elif dirty:
                staged = self._stager.stage(dirty)
                commit_files(self.home, [(tmp, f.storage.path) for f, tmp in staged])
                for file in dirty:
                    file.storage.committed()
        except OSError as exc:  # disk full, read-only: one clear line, the old state kept
            for file in dirty:
                file.storage.discard()
            raise StoreWriteError(
                f"cannot write to the store at {self.home}: {exc.strerror or exc}; "
                "nothing was changed"
            ) from None
        except BaseException:
            for file in dirty:
                file.storage.discard()
            raise
        finally:
            self._dirty.clear()
            self._added.clear()

    def _mark_dirty(self, file: StoreFile) -> None:
        if self._depth == 0:
            raise StoreError("internal: store write outside a transaction")
        if file not in self._dirty:
            self._dirty.append(file)

    def _open(self, path: Path) -> StoreFile:
        file = StoreFile(path, self._mark_dirty)
        file.storage.staging = self.staging
        return file

    # -- files -------------------------------------------------------------------------

    def _shard(self, name: str) -> StoreFile:
        file = self._shards.get(name)
        if file is None:
            file = self._shards[name] = self._open(self.home / "index" / f"{name}.json")
        return file

    def _family_path(self, root_id: str) -> Path:
        if not SAFE_ID.match(root_id):
            raise NotFoundError(f"no session family {root_id!r}")
        return self.home / "families" / root_id[:2] / f"{root_id}.json"

    def _family(self, root_id: str) -> StoreFile:
        added = self._added.pop(root_id, None)
        if added is not None:  # read or changed again before its commit: cached from now
            self._families[root_id] = added
        file = self._families.get(root_id)
        if file is None:
            self._evict()
            file = self._families[root_id] = self._open(self._family_path(root_id))
        else:
            self._families.move_to_end(root_id)
        return file

    def _evict(self) -> None:
        """Keep at most `family_cache` families open, and FAMILY_CACHE_BYTES of their
        files (a family's decoded documents take several times its file's size): the
        least recently used go, except those with changes not yet written. When those
        are too many to stay within bounds (a transaction that writes thousands of
        families), the scan waits until twice as many are open: repeated at each open,
        it made such a transaction quadratic (1,000 families: 500k steps, 1.6 s)."""
        if self._crowded and len(self._families) < 2 * self._crowded:
            return
        over = len(self._families) + 1 - self._family_cache
        size = sum(f.size() for f in self._families.values())
        if over <= 0 and size <= FAMILY_CACHE_BYTES:
            return
        dirty = set(map(id, self._dirty))
        for root_id, file in list(self._families.items()):
            if over <= 0 and size <= FAMILY_CACHE_BYTES:
                break
            if id(file) not in dirty:
                del self._families[root_id]
                over, size = over - 1, size - file.size()
        crowded = over > 0 or size > FAMILY_CACHE_BYTES
        self._crowded = len(self._families) if crowded and self._depth else 0

    def _raw(self, file: StoreFile, table: str) -> dict[str, Any]:
        """A table's raw docs; a corrupt file is moved aside and read as empty."""
        try:
            return file.raw(table)
        except CorruptFileError as exc:
            self._quarantine(file, exc.reason)
            return file.raw(table)

    def _quarantine(self, file: StoreFile, reason: str) -> None:
        quarantine(self, file, reason)

    def _bad_record(self, file: StoreFile, rid: str, exc: Exception) -> None:
        note = f"{file.path}: damaged record {str(rid)[:40]!r} skipped ({exc})"
        if note not in self.problems:
            self.problems.append(note)

    # -- sessions ----------------------------------------------------------------------

    def _decoded(self, file: StoreFile, kind: type[Session] | type[SessionRow]) -> list[Any]:
        """Every session of an index shard as `kind`, decoded once per file version."""
        raw = self._raw(file, SESSIONS)
        key = _LISTED[kind]
        cached = file.memo.get(key)
        if cached is None:
            bad = lambda rid, exc: self._bad_record(file, rid, exc)  # noqa: E731
            cached = file.memo[key] = decode_all(kind, raw, bad)
        return cached

    def _shard_names(self) -> list[str]:
        names = [e.name for e in os.scandir(self.home / "index")]
        return sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith("."))

    def _listed(self, kind: type[Session] | type[SessionRow]) -> list[Any]:
        out: list[Any] = []
        for name in self._shard_names():
            out.extend(self._decoded(self._shard(name), kind))
        return out

    def list_in_steps(
        self, shards: int = 4, kind: type[Session] | type[SessionRow] = SessionRow
    ) -> Iterator[None]:
        """Read and decode the index as `kind` (rows, or whole sessions), `shards` files
        per step: `list_rows` or `list_sessions` after it reads and decodes nothing."""
        for number, name in enumerate(self._shard_names(), 1):
            self._decoded(self._shard(name), kind)
            if number % shards == 0:
                yield

    def recent_families(self) -> recent.RecentFamilies | None:
        """The newest families' sessions from the recent list, brought up to date with
        the shards written since it was saved; None when it cannot say (list the index)."""
        index = self.home / "index"
        signatures = {name: signature(str(index / f"{name}.json")) for name in self._shard_names()}
        return recent.read(
            self.home / recent.RECENT,
            signatures,
            lambda name: self._raw(self._shard(name), SESSIONS),
            lambda root: self._raw(self._family(root), SESSIONS),
        )

    def recent_writer(self) -> Callable[[], None]:
        """Writing the recent list, split in two: here, the index's docs as this store
        holds them (read whole; after `list_rows` nothing is read again); the returned
        call builds and writes the list from them, touching no state of the store, so
        any thread can run it."""
        shards = {}
        for name in self._shard_names():
            file = self._shard(name)
            docs = self._raw(file, SESSIONS)
            shards[name] = (file.signature(), docs)
        path = self.home / recent.RECENT
        return lambda: recent.save(path, shards)

    def save_recent(self) -> None:
        self.recent_writer()()

    def list_sessions(self) -> list[Session]:
        return self._listed(Session)

    def list_rows(self) -> list[SessionRow]:
        return self._listed(SessionRow)

    def get_session(self, session_id: str) -> Session:
        """One session by exact id: a dict lookup in its shard, decoded once."""
        shard = self._shard(shard_of(session_id))
        raw = self._raw(shard, SESSIONS)
        key = f"s:{session_id}"
        session = shard.memo.get(key)
        if session is None:
            doc = raw.get(session_id)
            if doc is None:
                raise NotFoundError(f"no session {session_id!r}")
            try:
                session = shard.memo[key] = Session.from_dict(doc)
            except BAD_RECORD as exc:
                self._bad_record(shard, session_id, exc)
                where = str(shard.path)
                raise CorruptFileError(where, f"session {session_id!r}: {exc}") from None
        return session

    def match_sessions(self, prefix: str) -> list[Session]:
        prefix = prefix.lower()
        if len(prefix) >= 2:
            pool = self._decoded(self._shard(shard_of(prefix)), Session)
        else:
            pool = self.list_sessions()
        return [s for s in pool if s.id.startswith(prefix)]

    def put_session(self, session: Session) -> None:
        doc = session.to_dict()
        with self.transaction():
            family = self._family(session.root_id)
            family.table(SESSIONS).upsert(str_doc(doc, session.id))
            family.memo.pop("__sessions__", None)
            self._index_doc(session.id, dict(doc), session)

    def _index_doc(self, sid: str, doc: dict[str, Any], session: Session | None = None) -> None:
        """A session's document in its index shard (and, given, its decoded self)."""
        shard = self._shard(shard_of(sid))
        shard.table(SESSIONS).upsert(str_doc(doc, sid))
        for key in _LISTED.values():
            shard.memo.pop(key, None)
        if session is not None:
            shard.memo[f"s:{sid}"] = session
        else:
            shard.memo.pop(f"s:{sid}", None)

    def remove_session(self, session: Session) -> None:
        with self.transaction():
            family = self._family(session.root_id)
            family.table(SESSIONS).remove(doc_ids=str_ids([session.id]))
            family.memo.pop("__sessions__", None)
            shard = self._shard(shard_of(session.id))
            shard.table(SESSIONS).remove(doc_ids=str_ids([session.id]))
            for key in _LISTED.values():
                shard.memo.pop(key, None)
            shard.memo.pop(f"s:{session.id}", None)
            if not family.raw(SESSIONS):
                family.table(MESSAGES).truncate()

    def family_sessions(self, root_id: str) -> list[Session]:
        family = self._family(root_id)
        raw = self._raw(family, SESSIONS)
        cached = family.memo.get("__sessions__")
        if cached is None:
            bad = lambda rid, exc: self._bad_record(family, rid, exc)  # noqa: E731
            cached = family.memo["__sessions__"] = decode_all(Session, raw, bad)
        return cached

    # -- messages ----------------------------------------------------------------------

    def get_message(self, root_id: str, message_id: str) -> Message:
        family = self._family(root_id)
        return self._message(family, self._raw(family, MESSAGES), message_id)

    def family_lookup(self, root_id: str) -> Callable[[str], Message]:
        """`get_message` for one walk over a family (an ancestry, a diff): its file is
        checked for changes once, not once per message."""
        family = self._family(root_id)
        raw = self._raw(family, MESSAGES)
        return lambda message_id: self._message(family, raw, message_id)

    def _message(self, family: StoreFile, raw: dict[str, Any], message_id: str) -> Message:
        message = family.memo.get(message_id)
        if message is None:
            doc = raw.get(message_id)
            if doc is None:
                raise NotFoundError(f"no message {message_id!r} in {family.path}")
            try:
                message = family.memo[message_id] = Message.from_dict(doc)
            except BAD_RECORD as exc:
                where = str(family.path)
                raise CorruptFileError(where, f"message {message_id!r}: {exc}") from None
        return message

    def family_message_ids(self, root_id: str) -> Iterator[str]:
        return iter(list(self._raw(self._family(root_id), MESSAGES)))

    def family_docs(self, root_id: str) -> list[dict[str, Any]]:
        """A family's message documents as stored, undecoded (a store copy moves them
        as they are; whoever reads them decodes and checks them)."""
        return list(self._raw(self._family(root_id), MESSAGES).values())

    def put_messages(self, root_id: str, messages: Iterable[Message]) -> None:
        messages = list(messages)
        with self.transaction():
            family = self._family(root_id)
            raw = self._raw(family, MESSAGES)
            table = family.table(MESSAGES)
            fresh = [str_doc(m.to_dict(), m.id) for m in messages if m.id not in raw]
            for m in messages:
                if m.id in raw:
                    table.update(m.to_dict(), doc_ids=str_ids([m.id]))
            if fresh:
                table.insert_multiple(fresh)
            for m in messages:
                family.memo[m.id] = m

    def remove_messages(self, root_id: str, message_ids: Iterable[str]) -> None:
        ids = list(message_ids)
        if not ids:
            return
        with self.transaction():
            family = self._family(root_id)
            family.table(MESSAGES).remove(doc_ids=str_ids(ids))
            for mid in ids:
                family.memo.pop(mid, None)

    def close(self) -> None:
        self._families.clear()
        self._shards.clear()
        self._stager.close()
