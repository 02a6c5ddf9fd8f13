"""A family added already encoded (a bulk import's worker processes encode them) is
stored exactly as if it had been written message by message, or not at all."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tui.engine import Engine
from tui.engine.sessions.model import Message, Session
from tui.engine.store.errors import StoreError
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


def _encoded(messages: list[Message]) -> bytes:
    return orjson.dumps({m.id: m.to_dict() for m in messages})


def _staging(home: Path) -> list[Path]:
    return list((home / "staging").iterdir())


def test_an_added_family_reads_back_as_written(tmp_path: Path) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    assert not store.has_family(session.root_id)
    with store.transaction():
        store.add_family(session.root_id, [session], _encoded(messages))
        assert store.has_family(session.root_id)
    fresh = Engine(TinyDBStore(tmp_path / "home"))  # another handle: read from disk
    assert fresh.session(session.id) == session
    assert fresh.transcript(session.id) == messages
    assert store.has_family(session.root_id) and not _staging(store.home)


def test_a_family_changed_after_it_was_added_keeps_the_change(tmp_path: Path) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    first = session.with_changes(head_id=messages[1].id)
    with store.transaction():
        store.add_family(session.root_id, [first], _encoded(messages[:2]))
        store.put_messages(session.root_id, messages[2:])  # the same family, same commit
        store.put_session(session)
    fresh = Engine(TinyDBStore(tmp_path / "home"))
    assert fresh.transcript(session.id) == messages
    assert not _staging(store.home)  # the file written early was replaced, not left


def test_a_failed_transaction_adds_nothing_and_leaves_no_temp_file(tmp_path: Path) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_family(session.root_id, [session], _encoded(messages))
        raise RuntimeError("stopped half-way")
    assert not store.has_family(session.root_id)
    assert TinyDBStore(tmp_path / "home").list_sessions() == []
    assert not _staging(store.home)


def test_a_family_is_added_once(tmp_path: Path) -> None:
    session, messages = _made(tmp_path)
    store = TinyDBStore(tmp_path / "home")
    with store.transaction():
        store.add_family(session.root_id, [session], _encoded(messages))
        with pytest.raises(StoreError, match="exists already"):
            store.add_family(session.root_id, [session], _encoded(messages))
