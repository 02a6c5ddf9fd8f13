"""Who sees what on a shared store, enforced by the database itself (row-level
security): private unless shared, shared per session (and so its family's messages),
taken back by unshare; another client of the database is held to the same rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.engine import Engine
from tui.engine.store.errors import NotFoundError, StoreError
from tui.engine.store.postgres_store import PostgresStore


def _as(url: str, role: str) -> str:
    return url.replace("postgres:@", f"{role}:@", 1)


@pytest.fixture
def people(pg_url: str, tmp_path: Path) -> tuple[str, str]:
    import psycopg

    PostgresStore(pg_url, tmp_path / "admin").close()  # the schema, made by its owner
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for role in ("alice", "bob"):
            conn.execute(f"DROP ROLE IF EXISTS {role}")
            conn.execute(f"CREATE ROLE {role} LOGIN")
    return _as(pg_url, "alice"), _as(pg_url, "bob")


def test_private_until_shared_then_forkable_then_private_again(
    people: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alice_url, bob_url = people
    alice = Engine(PostgresStore(alice_url, tmp_path / "a"))
    bob = Engine(PostgresStore(bob_url, tmp_path / "b"))
    sid = alice.new_session(title="alice's debugging").id
    alice.append(sid, "user", "the bug is in the parser")
    assert bob.sessions() == []
    with pytest.raises(NotFoundError):
        bob.session(sid)
    assert main(["--store", alice_url, "share", sid, "--with", "bob"]) == 0
    assert "shared with bob" in capsys.readouterr().out
    assert [m.text for m in bob.transcript(sid)] == ["the bug is in the parser"]
    fork = bob.fork(sid, title="bob's review")  # a reviewer forks where it went wrong
    bob.append(fork.id, "user", "try the lexer instead")
    assert bob.transcript(fork.id)[-1].text == "try the lexer instead"
    with pytest.raises(StoreError, match="belongs to another user of this store"):
        bob.rename(sid, "bob renames it")  # not his: the database refuses the write
    assert alice.session(sid).title == "alice's debugging"
    assert main(["--store", bob_url, "share", sid, "--all"]) == 2  # only the owner can
    assert "only its owner can share it" in capsys.readouterr().err
    assert main(["--store", alice_url, "unshare", sid, "--with", "bob"]) == 0
    assert [s.id for s in bob.sessions()] == [fork.id]  # his own fork stays his
    with pytest.raises(NotFoundError):
        bob.session(sid)
    alice.close()
    bob.close()


def test_sharing_on_tinydb_says_what_is_needed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--title", "local"]) == 0
    sid = capsys.readouterr().out.strip()
    assert main(["share", sid, "--all"]) == 2
    assert "sharing needs a shared store" in capsys.readouterr().err
