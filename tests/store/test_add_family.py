"""A family whose whole file another process wrote (a bulk import's workers do) is
stored exactly as if it had been written message by message, or not at all; and what
such a process leaves behind when it is killed is cleaned up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.sessions.model import Message, Session
from tui.engine.store.atomic import stage
from tui.engine.store.errors import StoreError
from tui.engine.store.journal import INCOMING
from tui.engine.store.tinydb_files import encode_family
from tui.engine.store.tinydb_store import TinyDBStore


def _made(tmp_path: Path) -> tuple[Session, list[Message]]:
    """A session of three messages, made in a scratch store."""
    scratch = Engine.open(tmp_path / "scratch")
    sid = scratch.new_session(title="added").id
    for n, role in enumerate(["user", "assistant", "user"]):
        scratch.append(sid, role, f"line {n}")
    session, messages = scratch.session(sid), scratch.transcript(sid)
    scratch.close()
    return session, messages


def _written(folder: Path, sessions: list[Session], messages: list[Message]) -> str:
    """The family's file, as a worker writes it."""
    docs = [s.to_dict() for s in sessions], [m.to_dict() for m in messages]
    return stage(encode_family(*docs), str(folder))


def _staging(home: Path) -> list[Path]:
    return list((home / "staging").iterdir())


def test_an_added_family_reads_back_as_written(tmp_path: Path) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    assert not store.has_family(session.root_id)
    with store.incoming() as folder:
        with store.transaction():
            store.add_family(
                session.root_id, [session.to_dict()], _written(folder, [session], messages)
            )
            assert store.has_family(session.root_id)
        assert not list(folder.iterdir())  # moved into place
    assert not folder.exists()
    fresh = Engine(TinyDBStore(tmp_path / "home"))  # another handle: read from disk
    assert fresh.session(session.id) == session
    assert fresh.transcript(session.id) == messages
    assert store.has_family(session.root_id) and not _staging(store.home)


def test_a_family_changed_after_it_was_added_keeps_the_change(tmp_path: Path) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    first = session.with_changes(head_id=messages[1].id)
    with store.incoming() as folder, store.transaction():
        store.add_family(
            session.root_id, [first.to_dict()], _written(folder, [first], messages[:2])
        )
        store.put_messages(session.root_id, messages[2:])  # the same family, same commit
        store.put_session(session)
        assert not list(folder.iterdir())  # read, and written with the change instead
    fresh = Engine(TinyDBStore(tmp_path / "home"))
    assert fresh.transcript(session.id) == messages
    assert not _staging(store.home)


def test_a_failed_transaction_adds_nothing_and_leaves_no_temp_file(tmp_path: Path) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    with store.incoming() as folder:
        with pytest.raises(RuntimeError), store.transaction():
            store.add_family(
                session.root_id, [session.to_dict()], _written(folder, [session], messages)
            )
            raise RuntimeError("stopped half-way")
        assert not list(folder.iterdir())
    assert not store.has_family(session.root_id)
    assert TinyDBStore(tmp_path / "home").list_sessions() == []
    assert not _staging(store.home)


def test_a_family_is_added_once(tmp_path: Path) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    with store.incoming() as folder, store.transaction():
        store.add_family(
            session.root_id, [session.to_dict()], _written(folder, [session], messages)
        )
        with pytest.raises(StoreError, match="exists already"):
            store.add_family(
                session.root_id, [session.to_dict()], _written(folder, [session], messages)
            )


def test_the_folder_of_a_killed_import_is_removed_and_a_running_ones_kept(
    tmp_path: Path,
) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a process id that is gone
    dead = store.home / INCOMING / f"{child.pid}-0000"
    dead.mkdir(parents=True)
    _written(dead, [session], messages)
    with store.incoming() as live:  # this process's, while it runs
        _written(live, [session], messages)
        _, removed = store.recover()  # as every open of the store does
        assert removed == 1 and not dead.exists()
        assert len(list(live.iterdir())) == 1
