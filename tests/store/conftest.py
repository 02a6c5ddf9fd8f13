"""Both stores for the common store tests: the embedded TinyDB one, and a real
PostgreSQL server that the suite starts itself (the pgserver wheel; no network), one
server per test worker and a fresh database per test."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.engine import Engine
from tui.engine.store.postgres_store import PostgresStore
from tui.engine.store.protocol import SessionStore
from tui.engine.store.tinydb_store import TinyDBStore


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import os

    import pgserver

    runtime = tmp_path_factory.mktemp("runtime")  # pgserver keeps its lock there
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server
    server.cleanup()


@pytest.fixture
def pg_url(pg_server: Any) -> Iterator[str]:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_server.get_uri(name)
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


StoreMaker = Callable[[], SessionStore]


@pytest.fixture(params=["tinydb", "postgres"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreMaker]:
    """Opens another client of one store (a second app on the same store)."""
    made: list[SessionStore] = []
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")

        def make() -> SessionStore:
            made.append(PostgresStore(url, tmp_path / f"local{len(made)}"))
            return made[-1]
    else:

        def make() -> SessionStore:
            made.append(TinyDBStore(tmp_path / "home"))
            return made[-1]

    yield make
    for store in made:
        store.close()


@pytest.fixture
def store_engine(make_store: StoreMaker) -> Engine:
    return Engine(make_store())
