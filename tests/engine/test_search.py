"""Full-text search: ranking, filters, incremental updates, unicode, other processes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tui.cli import main
from tui.engine import Engine
from tui.engine.explore.search import Filters, fts_query
from tui.engine.sessions.model import Origin, ToolResultPart, ToolUsePart


def _session(engine: Engine, title: str, *texts: str, **kw: object) -> str:
    sid = engine.new_session(title=title, **kw).id  # type: ignore[arg-type]
    for i, text in enumerate(texts):
        engine.append(sid, "user" if i % 2 == 0 else "assistant", text)
    return sid


def test_query_building() -> None:
    assert fts_query("  redis   cache ") == '"redis"* "cache"*'
    assert fts_query("!!! ...") is None
    assert fts_query('he said "drop table"') == '"he"* "said"* "drop"* "table"*'


def test_ranking_prefers_more_relevant_messages(engine: Engine) -> None:
    weak = _session(engine, "weak", "we might use a cache somewhere later")
    strong = _session(engine, "strong", "cache cache cache: the cache layer, cache keys")
    hits = engine.search("cache")
    assert [h.session.id for h in hits[:2]] == [strong, weak]
    assert "[cache]" in hits[0].snippet
    assert engine.search("cach lay")  # words match as prefixes
    assert engine.search("nothing like this") == []
    assert engine.search("   ") == []


def test_every_word_must_match_and_parts_are_searchable(engine: Engine) -> None:
    sid = engine.new_session(title="tools").id
    engine.append(sid, "user", "read the config")
    engine.append(
        sid,
        "assistant",
        "done",
        parts=[
            ToolUsePart("t1", "read_file", {"path": "settings.yaml"}),
            ToolResultPart("t1", "timeout_seconds: 30"),
        ],
    )
    assert [h.message_id for h in engine.search("settings.yaml")] == [engine.transcript(sid)[1].id]
    assert engine.search("timeout_seconds")
    assert engine.search("read config")
    assert not engine.search("read banana")


def test_unicode_and_accents_fold(engine: Engine) -> None:
    _session(engine, "fr", "Le café était fermé à Zürich", "日本語のテキストも検索できる")
    assert engine.search("cafe zurich")
    assert engine.search("Café")
    assert engine.search("日本語のテキストも検索できる")


def test_filters(engine: Engine) -> None:
    old = _session(engine, "old", "deploy the parser", provider="echo", model="m1")
    new = _session(
        engine,
        "new",
        "deploy the parser",
        provider="echo",
        model="m2",
        origin=Origin(kind="claude_code", project="shop"),
    )
    engine.archive(old)
    assert {h.session.id for h in engine.search("deploy parser")} == {new}
    assert {h.session.id for h in engine.search("deploy parser", Filters(archived=True))} == {
        old,
        new,
    }
    assert [h.session.id for h in engine.search("deploy", Filters(model="m2"))] == [new]
    assert engine.search("deploy", Filters(model="m1")) == []
    assert [h.session.id for h in engine.search("deploy", Filters(project="shop"))] == [new]
    future = datetime(2999, 1, 1).timestamp()
    assert engine.search("deploy", Filters(since=future)) == []
    assert engine.search("deploy", Filters(until=future))


def test_index_follows_new_messages_and_branches(engine: Engine) -> None:
    sid = _session(engine, "grow", "first words")
    assert engine.search("first")
    engine.append(sid, "assistant", "a brand new zebra")
    hits = engine.search("zebra")  # added to the index as it was written
    assert len(hits) == 1 and hits[0].session.id == sid
    fork = engine.fork(sid, at=engine.transcript(sid)[0].id, title="fork")
    engine.append(fork.id, "user", "only in the fork: walrus")
    (hit,) = engine.search("walrus")
    assert hit.session.id == fork.id  # the session that holds the message
    engine.delete(fork.id)
    assert engine.search("walrus") == []


def test_writes_by_another_process_are_picked_up(engine: Engine, isolated_env: Path) -> None:
    sid = _session(engine, "shared", "hello")
    assert engine.search("hello")
    other = Engine.open(isolated_env)
    other.append(sid, "assistant", "platypus from elsewhere")
    other.close()
    assert engine.search("platypus")


def test_cli_search(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--title", "findme"]) == 0
    sid = capsys.readouterr().out.strip()
    assert main(["send", sid, "the quick brown fox"]) == 0
    capsys.readouterr()
    assert main(["search", "brown fox", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all(h["session"] == sid for h in hits)
    assert main(["search", "zzzz"]) == 0 and "no matches" in capsys.readouterr().out
    assert main(["search", "fox", "--since", "yesterday"]) == 2
    assert "not a date" in capsys.readouterr().err


def test_messages_written_in_the_same_millisecond_all_stay_findable(engine: Engine) -> None:
    from tui.engine.sessions.model import Message, Role, TextPart

    sid = engine.new_session(title="burst").id
    root = engine.session(sid).root_id
    same = [
        Message(f"{i:05x}" + "0" * 27, None, Role.USER, (TextPart(f"burst note {i}"),), 1000.0)
        for i in range(40)
    ]
    clash = [  # 20 bits of id alike too: they must probe for free rowids
        Message(f"abcde{i:027x}", None, Role.USER, (TextPart(f"clash note {i}"),), 1000.0)
        for i in range(5)
    ]
    engine.search_index.add(root, same + clash)
    engine.search_index.add(root, clash[:2])  # re-indexing keeps each in its own slot
    rows = engine.search_index.db.execute("SELECT count(*) FROM messages").fetchone()[0]
    assert rows == 45
    bodies = engine.search_index.db.execute(
        "SELECT body FROM messages WHERE messages MATCH 'clash' ORDER BY rowid"
    ).fetchall()
    assert [b[0] for b in bodies] == [f"clash note {i}" for i in range(5)]


def test_a_common_word_ranks_only_the_newest_matches(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.engine.explore.search as search

    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    old = _session(engine, "old", "deploy deploy deploy deploy deploy")  # the best match
    newer = [_session(engine, f"n{i}", f"deploy step {i}") for i in range(4)]
    hits = engine.search("deploy")
    assert old not in {h.session.id for h in hits}  # out of the newest three
    assert {h.session.id for h in hits} == set(newer[1:])
    monkeypatch.setattr(search, "RANK_WINDOW", 100)
    assert engine.search("deploy")[0].session.id == old  # in the window, BM25 decides
    until = engine.transcript(newer[1])[0].created
    hits = engine.search("deploy", filters=Filters(until=until))  # the window ends there
    assert {h.session.id for h in hits} == {old, newer[0], newer[1]}


def test_an_index_from_an_older_version_is_rebuilt(isolated_env: Path) -> None:
    import sqlite3

    engine = Engine.open(isolated_env)
    _session(engine, "kept", "rebuild me please")
    engine.search("rebuild")
    engine.close()
    db = sqlite3.connect(isolated_env / "search.sqlite3")
    db.execute("PRAGMA user_version = 1")
    db.execute("DELETE FROM messages")
    db.commit()
    db.close()
    again = Engine.open(isolated_env)
    assert [h.session.title for h in again.search("rebuild")] == ["kept"]
    again.close()


def test_quiet_folders_are_not_listed_but_changes_in_them_are_seen(
    engine: Engine, isolated_env: Path
) -> None:
    import os

    sid = _session(engine, "a", "first words")
    engine.search("first")
    for folder in (isolated_env / "families").iterdir():
        os.utime(folder, (1_000_000, 1_000_000))  # long quiet: its listing is remembered
    engine.search("first")
    assert engine.search_index._folders  # remembered, so the next search skips them
    other = Engine.open(isolated_env)
    other.writer.on_written = lambda root_id, messages: None  # this engine keeps no index
    other.append(sid, "assistant", "second words from elsewhere")
    other.close()
    assert [h.snippet for h in engine.search("elsewhere")] == ["second words from [elsewhere]"]


def test_the_first_build_reads_documents_and_finds_what_a_rebuild_finds(engine: Engine) -> None:
    from tui.engine.explore.search_rows import doc_row, doc_text, row_of, searchable_text
    from tui.engine.sessions.demo import build_demo

    build_demo(engine)
    for session in engine.sessions():
        for message in engine.transcript(session.id):
            doc = message.to_dict()
            assert doc_text(doc) == searchable_text(message)
            assert doc_row(doc) == row_of(message)

    def found() -> list[tuple[str, str | None]]:
        return [(h.message_id, h.session.id if h.session else None)
                for h in engine.search("lifetimes")]  # fmt: skip

    first = found()
    assert first  # the demo talks about Rust lifetimes
    engine.search_index.db.execute("DELETE FROM families")  # every family: indexed again
    engine.search_index._folders.clear()
    assert found() == first
