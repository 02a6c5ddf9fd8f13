"""A shared PostgreSQL store behind the same `SessionStore` protocol (psycopg 3).

Sessions and messages are rows with their documents as JSONB; a family's messages share
its root id, indexed with the session columns that listing and the tree need, so
append, fork and revert touch a few rows whatever the store's size. Every engine
transaction is one database transaction (nested ones join it); a failure rolls back
all of it. Connections come from a pool; reads outside a transaction take one briefly.
The schema carries a version: a newer one than this code knows is refused, never
written to. Other clients are told of every commit through NOTIFY (`forktree` channel)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tui.engine.sessions.model import Message, Session, SessionRow
from tui.engine.store.errors import NotFoundError, StoreError
from tui.engine.store.postgres_schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    TEXT_INDEX,
    searchable,
    searchable_doc,
)

CHANNEL = "forktree"
SESSION_UPSERT = (
    "INSERT INTO sessions (id, root_id, parent_session_id, created, updated, "
    "archived, doc) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE "
    "SET root_id = EXCLUDED.root_id, parent_session_id = EXCLUDED.parent_session_id, "
    "created = EXCLUDED.created, updated = EXCLUDED.updated, "
    "archived = EXCLUDED.archived, doc = EXCLUDED.doc"
)


def redacted(url: str) -> str:
    """The URL with any password blanked, for messages and `forktree config store`."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, parts.query, ""))


def local_home(url: str, base: Path) -> Path:
    """A local folder for this server store's own files (search index, logs, blobs)."""
    digest = hashlib.sha1(redacted(url).encode()).hexdigest()[:12]
    return base / f"postgres-{digest}"


class PostgresStore:
    """Sessions and messages in PostgreSQL; `home` holds this machine's local files."""

    def __init__(self, url: str, home: Path, pool_size: int = 4) -> None:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise StoreError(
                "the PostgreSQL store needs psycopg: pip install 'psycopg[binary,pool]'"
            ) from None
        self.url = url
        self.home = home
        self.home.mkdir(parents=True, exist_ok=True)
        self.problems: list[str] = []
        self._local = threading.local()
        self.own_pids: set[int] = set()  # our own connections' commits are not news
        try:  # once, directly: a wrong host, password or database says so at once
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            where = redacted(url)
            raise StoreError(f"cannot reach the store at {where}: {_first_line(exc)}") from None
        self.pool = ConnectionPool(
            url, min_size=1, max_size=pool_size, open=False, kwargs={"autocommit": True}
        )
        try:
            self.pool.open(wait=True, timeout=10)
        except Exception as exc:  # psycopg_pool.PoolTimeout and the connection errors
            self.pool.close()
            raise StoreError(
                f"cannot reach the store at {redacted(url)}: {_first_line(exc)}"
            ) from None
        self._migrate()

    # -- connections and transactions ------------------------------------------------

    @contextmanager
    def _conn(self) -> Iterator[Any]:
        tx = getattr(self._local, "conn", None)
        if tx is not None:
            yield tx
            return
        with self.pool.connection() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One database transaction for the outermost call; nested calls join it. On an
        error nothing of it is written; other clients hear of it once it commits."""
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        import psycopg

        with self.pool.connection() as conn:
            self._local.conn, self._local.depth = conn, 1
            self._local.touched = {"sessions": set(), "roots": set()}
            self.own_pids.add(conn.info.backend_pid)
            try:
                with conn.transaction():
                    # writers take turns, as on TinyDB's file lock: a read-then-write
                    # (an append reads the head it moves) never races another client's
                    conn.execute("SELECT pg_advisory_xact_lock(7162)")
                    yield
                    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, self._payload()))
            except psycopg.errors.InsufficientPrivilege:
                raise StoreError(
                    "that belongs to another user of this store: it can be read (it was "
                    "shared) but not changed; fork it to make it yours. Nothing was written"
                ) from None
            except psycopg.Error as exc:
                raise StoreError(f"the store at {redacted(self.url)}: {_first_line(exc)}") from None
            finally:
                self._local.conn, self._local.depth = None, 0

    def _payload(self) -> str:
        """What the commit touched, for other clients (NOTIFY carries up to 8000 bytes)."""
        touched = self._local.touched
        data = {k: sorted(v)[:60] for k, v in touched.items()}
        return json.dumps(data)

    def _touch(self, kind: str, key: str) -> None:
        touched = getattr(self._local, "touched", None)
        if touched is not None:
            touched[kind].add(key)

    def listen(
        self, stop: threading.Event, ready: threading.Event | None = None
    ) -> Iterator[dict[str, list[str]]]:
        """What other clients' commits touched, as they commit, until `stop` is set;
        `ready` is set once the listening connection is in place."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            if ready is not None:
                ready.set()
            while not stop.is_set():
                for note in conn.notifies(timeout=0.5):
                    if note.pid in self.own_pids:
                        continue
                    try:
                        yield json.loads(note.payload)
                    except ValueError:
                        yield {"sessions": [], "roots": []}

    def _migrate(self) -> None:
        with self.transaction(), self._conn() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(7161)")  # one migrating client at a time
            exists = conn.execute("SELECT to_regclass('forktree_schema')").fetchone()
            row = (
                conn.execute("SELECT max(version) FROM forktree_schema").fetchone()
                if exists and exists[0]
                else None
            )
            version = (row[0] if row else None) or 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the store at {redacted(self.url)} has schema version {version}, newer "
                    f"than this forktree knows ({SCHEMA_VERSION}); upgrade forktree"
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                conn.execute(MIGRATIONS[step])
            if version < SCHEMA_VERSION:
                conn.execute("DELETE FROM forktree_schema")
                conn.execute("INSERT INTO forktree_schema VALUES (%s)", (SCHEMA_VERSION,))

    # -- sessions --------------------------------------------------------------------

    def list_sessions(self) -> list[Session]:
        with self._conn() as conn:
            rows = conn.execute("SELECT doc FROM sessions").fetchall()
        return [Session.from_dict(r[0]) for r in rows]

    def list_rows(self) -> list[SessionRow]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT id, root_id, parent_session_id, created, updated, archived FROM sessions"
            ).fetchall()
        return [SessionRow(*r) for r in rows]

    def get_session(self, session_id: str) -> Session:
        with self._conn() as conn:
            row = conn.execute("SELECT doc FROM sessions WHERE id = %s", (session_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no session {session_id!r}")
        return Session.from_dict(row[0])

    def match_sessions(self, prefix: str) -> list[Session]:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT doc FROM sessions WHERE id LIKE %s ORDER BY id LIMIT 50", (pattern,)
            ).fetchall()
        return [Session.from_dict(r[0]) for r in rows]

    def put_session(self, session: Session) -> None:
        from psycopg.types.json import Jsonb

        with self.transaction(), self._conn() as conn:
            self._touch("sessions", session.id)
            self._touch("roots", session.root_id)
            conn.execute(
                SESSION_UPSERT,
                (
                    session.id,
                    session.root_id,
                    session.parent_session_id,
                    session.created,
                    session.updated,
                    session.archived,
                    Jsonb(session.to_dict()),
                ),
            )

    def remove_session(self, session: Session) -> None:
        with self.transaction(), self._conn() as conn:
            self._touch("sessions", session.id)
            conn.execute("DELETE FROM sessions WHERE id = %s", (session.id,))

    def family_sessions(self, root_id: str) -> list[Session]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT doc FROM sessions WHERE root_id = %s", (root_id,)
            ).fetchall()
        return [Session.from_dict(r[0]) for r in rows]

    # -- messages --------------------------------------------------------------------

    def get_message(self, root_id: str, message_id: str) -> Message:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT doc FROM messages WHERE root_id = %s AND id = %s", (root_id, message_id)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no message {message_id!r} in family {root_id[:8]}")
        return Message.from_dict(row[0])

    def family_message_ids(self, root_id: str) -> Iterator[str]:
        with self._conn() as conn:
            rows = conn.execute("SELECT id FROM messages WHERE root_id = %s", (root_id,)).fetchall()
        return iter([r[0] for r in rows])

    def family_messages(self, root_id: str) -> list[Message]:
        """Every message of a family in one query (store copy, compare)."""
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT doc FROM messages WHERE root_id = %s", (root_id,)
            ).fetchall()
        return [Message.from_dict(r[0]) for r in rows]

    def put_messages(self, root_id: str, messages: Iterable[Message]) -> None:
        from psycopg.types.json import Jsonb

        rows = [(root_id, m.id, Jsonb(m.to_dict()), searchable(m), m.created) for m in messages]
        if not rows:
            return
        with self.transaction(), self._conn() as conn, conn.cursor() as cursor:
            self._touch("roots", root_id)
            cursor.executemany(
                "INSERT INTO messages (root_id, id, doc, body, created) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (root_id, id) DO UPDATE "
                "SET doc = EXCLUDED.doc, body = EXCLUDED.body, created = EXCLUDED.created",
                rows,
            )

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """A store copy. Into an empty store, rows go straight in with COPY and the text
        search index is built once at the end (with room to sort in memory) instead of
        row by row; a store that holds messages is upserted into and keeps its index."""
        with self._conn() as conn:
            empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM messages)").fetchone()
            self._local.fresh = bool(empty and empty[0])
            if self._local.fresh:
                conn.execute("DROP INDEX IF EXISTS messages_text")
        try:
            yield
        finally:
            self._local.fresh = False
            with self._conn() as conn:
                conn.execute("SET maintenance_work_mem = '256MB'")  # this connection only
                conn.execute(TEXT_INDEX)
                conn.execute("RESET maintenance_work_mem")

    def family_docs(self, root_id: str) -> list[dict[str, Any]]:
        """A family's message documents as stored, undecoded."""
        with self._conn() as conn:
            query = "SELECT doc FROM messages WHERE root_id = %s"
            return [r[0] for r in conn.execute(query, (root_id,)).fetchall()]

    def put_docs(self, rows: list[tuple[str, dict[str, Any]]], sessions: list[Session]) -> None:
        """Many families' message documents and sessions in one go (a store copy)."""
        import orjson
        from psycopg.types.json import Jsonb

        fresh = getattr(self._local, "fresh", False)  # an empty store: nothing to clash
        with self.transaction(), self._conn() as conn, conn.cursor() as cursor:
            # a copy can be run again (resumable): the last batches' durability is not
            # worth a wait on the disk for each
            cursor.execute("SET LOCAL synchronous_commit = off")
            if not fresh:  # COPY into a scratch table, then one set-based upsert
                cursor.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS copy_messages "
                    "(root_id text, id text, doc jsonb, body text, created double precision) "
                    "ON COMMIT DELETE ROWS"
                )
            table = "messages" if fresh else "copy_messages"
            with cursor.copy(f"COPY {table} (root_id, id, doc, body, created) FROM STDIN") as copy:
                for root, d in rows:
                    copy.write_row(
                        (root, d["id"], orjson.dumps(d).decode(), searchable_doc(d),
                         float(d.get("created") or 0))
                    )  # fmt: skip
            if not fresh:
                cursor.execute(
                    "INSERT INTO messages (root_id, id, doc, body, created) "
                    "SELECT root_id, id, doc, body, created FROM copy_messages "
                    "ON CONFLICT (root_id, id) DO UPDATE "
                    "SET doc = EXCLUDED.doc, body = EXCLUDED.body, created = EXCLUDED.created"
                )
            cursor.executemany(
                SESSION_UPSERT,
                [
                    (s.id, s.root_id, s.parent_session_id, s.created, s.updated, s.archived,
                     Jsonb(s.to_dict()))
                    for s in sessions
                ],
            )  # fmt: skip
            for s in sessions:
                self._touch("sessions", s.id)

    def remove_messages(self, root_id: str, message_ids: Iterable[str]) -> None:
        ids = list(message_ids)
        if not ids:
            return
        with self.transaction(), self._conn() as conn:
            conn.execute("DELETE FROM messages WHERE root_id = %s AND id = ANY(%s)", (root_id, ids))

    def search_messages(
        self, text: str, since: float | None, until: float | None, limit: int
    ) -> list[tuple[str, str, str, float, str, float]]:
        """Messages matching `text` (the database's own text search; best first):
        (id, root id, role, created, snippet with [ ] around matches, score). Only what
        this role may read is searched (row-level security)."""
        with self._conn() as conn:
            return conn.execute(
                "SELECT id, root_id, doc->>'role', created, ts_headline('simple', body, q, "
                "'StartSel=[, StopSel=], MaxWords=18, MinWords=6'), ts_rank(to_tsvector("
                "'simple', body), q) AS score FROM messages, websearch_to_tsquery('simple', %s) "
                "q WHERE to_tsvector('simple', body) @@ q AND created >= %s AND created <= %s "
                "ORDER BY score DESC, created DESC LIMIT %s",
                (
                    text,
                    since if since is not None else 0,
                    until if until is not None else 1e18,
                    limit,
                ),
            ).fetchall()

    def share(self, session_id: str, role: str | None, on: bool = True) -> list[str]:
        """Share one session (and so its family's messages) with `role`, or with everyone
        when `role` is None; `on=False` takes it back. Only its owner can. Returns who
        now sees it besides the owner."""
        with self.transaction(), self._conn() as conn:
            if role is None:
                done = conn.execute(
                    "UPDATE sessions SET shared_all = %s WHERE id = %s RETURNING shared_with, "
                    "shared_all", (on, session_id),
                ).fetchone()  # fmt: skip
            else:
                change = "array_append(array_remove(shared_with, %s), %s)" if on else (
                    "array_remove(shared_with, %s)"
                )  # fmt: skip
                params = (role, role, session_id) if on else (role, session_id)
                done = conn.execute(
                    f"UPDATE sessions SET shared_with = {change} WHERE id = %s "
                    "RETURNING shared_with, shared_all", params,
                ).fetchone()  # fmt: skip
        if done is None:
            raise NotFoundError(
                f"no session {session_id!r} of yours to share (only its owner can share it)"
            )
        return (["everyone"] if done[1] else []) + list(done[0])

    def close(self) -> None:
        self.pool.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
