"""Moving between stores: TinyDB -> PostgreSQL -> TinyDB gives back the same store, a
copy stopped half-way goes on where it stopped, and the CLI says what it did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.engine import Engine
from tui.engine.sessions.demo import build_demo
from tui.engine.store.copy import copy_store
from tui.engine.store.postgres_store import PostgresStore
from tui.engine.store.protocol import SessionStore
from tui.engine.store.tinydb_store import TinyDBStore


def _everything(store: SessionStore) -> tuple[list[dict], dict[str, list[dict]]]:
    sessions = sorted((s.to_dict() for s in store.list_sessions()), key=lambda d: d["id"])
    families = {}
    for root in {s["root_id"] for s in sessions}:
        ids = sorted(store.family_message_ids(root))
        families[root] = [store.get_message(root, mid).to_dict() for mid in ids]
    return sessions, families


def test_a_round_trip_through_postgres_is_identical(pg_url: str, tmp_path: Path) -> None:
    source = Engine(TinyDBStore(tmp_path / "a"))
    build_demo(source)
    source.checkpoint(source.sessions()[0].id, source.transcript(source.sessions()[0].id)[0].id,
                      "start")  # fmt: skip
    server = PostgresStore(pg_url, tmp_path / "local")
    first = copy_store(source.store, server)
    assert first.copied == first.families and first.messages > 10
    back = TinyDBStore(tmp_path / "b")
    copy_store(server, back)
    assert _everything(back) == _everything(source.store) == _everything(server)
    again = copy_store(source.store, server)  # nothing left to do: resumable
    assert again.copied == 0 and again.skipped == again.families
    server.close()


def test_a_copy_stopped_half_way_goes_on(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.engine.store import copy

    monkeypatch.setattr(copy, "BATCH_MESSAGES", 1)  # a transaction per family
    source = Engine(TinyDBStore(tmp_path / "a"))
    build_demo(source)
    server = PostgresStore(pg_url, tmp_path / "local")

    def killed(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt  # the user pressed ctrl+c (or the machine died)

    with pytest.raises(KeyboardInterrupt):
        copy_store(source.store, server, killed)
    rest = copy_store(source.store, server)
    assert rest.skipped == 2 and rest.copied == rest.families - 2
    assert _everything(server) == _everything(source.store)
    server.close()


def test_the_cli_copies_and_reports(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_demo(Engine(TinyDBStore(tmp_path / "a")))
    assert main(["store", "copy", "--from", str(tmp_path / "a"), "--to", pg_url, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["copied"] == report["families"] >= 3
