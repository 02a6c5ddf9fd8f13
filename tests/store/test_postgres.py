"""What only the PostgreSQL store does: clear errors, the schema version, NOTIFY to other
clients, and the store chosen by URL (never showing a password)."""

from __future__ import annotations

import pytest

from tui.cli import main
from tui.engine.store.choose import describe
from tui.engine.store.errors import StoreError
from tui.engine.store.postgres_store import CHANNEL, PostgresStore, redacted


def test_an_unreachable_server_is_one_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = "postgresql://me:s3cret@127.0.0.1:9/nowhere?connect_timeout=1"
    with pytest.raises(StoreError) as failed:
        PostgresStore(url, tmp_path / "local")
    message = str(failed.value)
    assert message.startswith("cannot reach the store at postgresql://me:***@127.0.0.1:9/")
    assert "s3cret" not in message


def test_a_newer_schema_is_refused(pg_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    PostgresStore(pg_url, tmp_path / "a").close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE forktree_schema SET version = 99")
    with pytest.raises(StoreError, match="schema version 99, newer than this forktree"):
        PostgresStore(pg_url, tmp_path / "b")


def test_every_commit_is_announced_to_listening_clients(pg_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    from tui.engine import Engine

    engine = Engine(PostgresStore(pg_url, tmp_path / "a"))
    with psycopg.connect(pg_url, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        engine.new_session(title="heard elsewhere")
        heard = list(listener.notifies(timeout=5, stop_after=1))
    assert [n.channel for n in heard] == [CHANNEL]
    engine.close()


def test_the_cli_on_a_server_store_and_config_store(
    pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["--store", pg_url, "new", "--title", "on the server"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("FORKTREE_STORE", pg_url)
    assert main(["list"]) == 0
    assert "on the server" in capsys.readouterr().out
    assert main(["config", "store"]) == 0
    assert "(PostgreSQL; local files in" in capsys.readouterr().out
    assert redacted("postgresql://u:pw@h:5/db") == "postgresql://u:***@h:5/db"
    assert "***" not in describe_of(pg_url)  # a URL without a password shows as it is


def describe_of(url: str) -> str:
    from pathlib import Path
    from tempfile import mkdtemp

    store = PostgresStore(url, Path(mkdtemp()))
    try:
        return describe(store)
    finally:
        store.close()
