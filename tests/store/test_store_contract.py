"""What every SessionStore does, run against TinyDB and a real PostgreSQL alike."""

from __future__ import annotations

import pytest

from tui.engine import Engine
from tui.engine.sessions.model import Session, TextPart
from tui.engine.store.errors import NotFoundError

from .conftest import StoreMaker


def test_sessions_round_trip_list_and_match(make_store: StoreMaker) -> None:
    store = make_store()
    engine = Engine(store)
    a = engine.new_session(title="alpha")
    b = engine.new_session(title="beta")
    assert store.get_session(a.id) == engine.session(a.id)
    assert {r.id for r in store.list_rows()} == {a.id, b.id}
    assert [s.id for s in store.match_sessions(a.id[:10])] == [a.id]
    assert store.match_sessions("%") == [] and store.match_sessions("_") == []
    with pytest.raises(NotFoundError):
        store.get_session("no-such-session")


def test_messages_forks_reverts_and_deletes(store_engine: Engine) -> None:
    engine = store_engine
    sid = engine.new_session().id
    for text in ("one", "two", "three"):
        engine.append(sid, "user", text)
    transcript = engine.transcript(sid)
    fork = engine.fork(sid, at=transcript[0].id, title="from one")
    engine.append(fork.id, "user", "other")
    assert [m.text for m in engine.transcript(fork.id)] == ["one", "other"]
    moved, kept = engine.revert(sid, transcript[1].id)
    assert moved.head_id == transcript[1].id and kept is not None
    assert [m.text for m in engine.transcript(kept.id)][-1] == "three"
    assert len(engine.family(sid)) == 3
    engine.delete(fork.id)
    ids = set(engine.store.family_message_ids(engine.session(sid).root_id))
    assert {m.id for m in engine.transcript(sid)} <= ids
    assert len(ids) == 3  # "other" went with its only session
    with pytest.raises(NotFoundError):
        engine.store.get_message(engine.session(sid).root_id, "missing")


def test_a_failed_transaction_writes_nothing(store_engine: Engine) -> None:
    engine = store_engine
    sid = engine.new_session(title="before").id
    with pytest.raises(RuntimeError), engine.store.transaction():
        engine.rename(sid, "during")
        engine.store.put_session(engine.session(sid).with_changes(title="also during"))
        raise RuntimeError("boom")
    assert engine.session(sid).title == "before"


def test_a_second_client_sees_every_write(make_store: StoreMaker) -> None:
    first, second = Engine(make_store()), Engine(make_store())
    sid = first.new_session(title="shared").id
    first.append(sid, "user", "hello", parts=[TextPart("well, ")])
    first.rename(sid, "renamed")
    seen: Session = second.session(sid)
    assert seen.title == "renamed"
    assert [m.text for m in second.transcript(sid)] == ["well, hello"]
    fork = second.fork(sid)
    assert first.session(fork.id).parent_session_id == sid


def test_search_finds_messages_with_the_same_filters(store_engine: Engine) -> None:
    from tui.engine.explore.search import Filters

    engine = store_engine
    sid = engine.new_session(title="lexer work").id
    engine.append(sid, "user", "the lexer drops the final token")
    engine.append(sid, "assistant", "Fixed the lexer loop; tokens all come out now.")
    other = engine.new_session(title="holiday").id
    engine.append(other, "user", "plan a trip to Lisbon")
    hits = engine.search("lexer")
    assert {h.session.id for h in hits if h.session} == {sid} and len(hits) == 2
    assert "[lexer]" in hits[0].snippet
    assert engine.search("Lisbon")[0].session.id == other  # type: ignore[union-attr]
    engine.archive(other)
    assert engine.search("Lisbon") == []  # archived: only when asked
    assert len(engine.search("Lisbon", Filters(archived=True))) == 1
