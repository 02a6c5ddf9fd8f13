"""Which store a run uses: `--store URL`, else FORKTREE_STORE, else the settings file's
`store = "…"`, else the embedded TinyDB store at --home / FORKTREE_HOME / the user data
dir. A `postgresql://` (or `postgres://`) URL opens the shared PostgreSQL store; its
password comes from the environment (PGPASSWORD) or a libpq service / pgpass file,
never from anything forktree writes."""

from __future__ import annotations

import os
from pathlib import Path

from tui.engine.config.paths import data_dir
from tui.engine.store.protocol import SessionStore

SERVER_SCHEMES = ("postgresql://", "postgres://")


def wanted_store(url: str | None = None) -> str | None:
    """The store URL asked for, if any (a folder path is a TinyDB store's home)."""
    if url:
        return url
    if os.environ.get("FORKTREE_STORE"):
        return os.environ["FORKTREE_STORE"]
    from tui.engine.config.settings import load_settings

    return load_settings()[0].store


def is_server(url: str | None) -> bool:
    return bool(url) and str(url).startswith(SERVER_SCHEMES)


def open_store(home: str | os.PathLike[str] | None = None, url: str | None = None) -> SessionStore:
    """The store this run uses (see the module's docstring)."""
    target = wanted_store(url) if home is None else url
    if target and is_server(target):
        from tui.engine.store.postgres_store import PostgresStore, local_home

        return PostgresStore(target, local_home(target, data_dir()))
    from tui.engine.store.tinydb_store import TinyDBStore

    return TinyDBStore(Path(home) if home else Path(target) if target else data_dir())


def another_handle(store: SessionStore) -> SessionStore:
    """A second handle on the same store, for another thread (an import in the
    background): its own caches and connections, the same data."""
    url = getattr(store, "url", None)
    if isinstance(url, str) and is_server(url):
        from tui.engine.store.postgres_store import PostgresStore

        return PostgresStore(url, store.home)
    from tui.engine.store.tinydb_store import TinyDBStore

    return TinyDBStore(store.home)


def describe(store: SessionStore) -> str:
    """One line for `forktree config store`: what and where, no password."""
    from tui.engine.store.postgres_store import PostgresStore, redacted

    if isinstance(store, PostgresStore):
        return f"{redacted(store.url)} (PostgreSQL; local files in {store.home})"
    return f"{store.home} (TinyDB, on this machine)"
