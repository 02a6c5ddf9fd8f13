"""The OpenCode importer: the JSON storage layout and the SQLite database, written here
in both shapes from the same objects; tool parts with their results, tokens and cost,
subtasks under their parent, re-imports."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.importers.store_contents import contents_at, reports_both_ways
from tui.cli import main
from tui.engine import Engine
from tui.engine.importers.opencode import OpenCodeImporter, opencode_id
from tui.engine.sessions.model import Role, ThinkingPart, ToolResultPart, ToolUsePart

SESSIONS = [
    {"id": "ses_a", "projectID": "p1", "directory": "/work/app", "title": "Fix the parser",
     "time": {"created": 1770000000000, "updated": 1770000900000}},
    {"id": "ses_b", "projectID": "p1", "directory": "/work/app", "parentID": "ses_a",
     "title": "subtask: read the grammar", "time": {"created": 1770000100000}},
]  # fmt: skip
MESSAGES = [
    {"id": "msg_1", "sessionID": "ses_a", "role": "user", "time": {"created": 1770000000000}},
    {"id": "msg_2", "sessionID": "ses_a", "role": "assistant", "modelID": "claude-opus-4-5",
     "providerID": "anthropic", "cost": 0.25, "time": {"created": 1770000001000},
     "tokens": {"input": 1000, "output": 200, "reasoning": 0, "cache": {"read": 50, "write": 0}}},
    {"id": "msg_3", "sessionID": "ses_b", "role": "user", "time": {"created": 1770000100000}},
    {"id": "msg_4", "sessionID": "ses_b", "role": "assistant", "modelID": "claude-opus-4-5",
     "time": {"created": 1770000101000}},
]  # fmt: skip
PARTS = [
    {"id": "prt_1", "messageID": "msg_1", "sessionID": "ses_a", "type": "text",
     "text": "the parser drops the last token"},
    {"id": "prt_2", "messageID": "msg_2", "sessionID": "ses_a", "type": "reasoning",
     "text": "Looking at the lexer"},
    {"id": "prt_3", "messageID": "msg_2", "sessionID": "ses_a", "type": "tool",
     "callID": "call_1", "tool": "read", "state": {"status": "completed",
     "input": {"filePath": "/work/app/lexer.py"}, "output": "def lex(): ..."}},
    {"id": "prt_4", "messageID": "msg_2", "sessionID": "ses_a", "type": "step-finish",
     "cost": 0.25},
    {"id": "prt_5", "messageID": "msg_2", "sessionID": "ses_a", "type": "text",
     "text": "Fixed: the loop stopped one early."},
    {"id": "prt_6", "messageID": "msg_2", "sessionID": "ses_a", "type": "patch",
     "hash": "abc", "files": ["/work/app/lexer.py"]},
    {"id": "prt_7", "messageID": "msg_3", "sessionID": "ses_b", "type": "text", "text": "read it"},
    {"id": "prt_8", "messageID": "msg_4", "sessionID": "ses_b", "type": "some-new-kind"},
    {"id": "prt_9", "messageID": "msg_4", "sessionID": "ses_b", "type": "text", "text": "done"},
]  # fmt: skip


def _files(root: Path) -> Path:
    storage = root / "storage"
    for s in SESSIONS:
        _put(storage / "session" / s["projectID"] / f"{s['id']}.json", s)
    for m in MESSAGES:
        _put(storage / "message" / m["sessionID"] / f"{m['id']}.json", m)
    for p in PARTS:
        _put(storage / "part" / p["messageID"] / f"{p['id']}.json", p)
    return root


def _put(path: Path, obj: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2))


def _database(root: Path) -> Path:
    root.mkdir(parents=True)
    db = sqlite3.connect(root / "opencode.db")
    for table, rows, key in (("session", SESSIONS, "projectID"), ("message", MESSAGES, "sessionID"),
                             ("part", PARTS, "messageID")):  # fmt: skip
        db.execute(f"CREATE TABLE {table} (id TEXT PRIMARY KEY, owner_id TEXT, data TEXT)")
        for row in rows:
            db.execute(f"INSERT INTO {table} VALUES (?, ?, ?)",
                       (row["id"], row[key], json.dumps(row)))  # fmt: skip
    db.commit()
    db.close()
    return root


def _check(engine: Engine) -> None:
    parent = engine.session(opencode_id("session", "ses_a"))
    child = engine.session(opencode_id("session", "ses_b"))
    assert parent.title == "Fix the parser" and parent.origin.cwd == "/work/app"
    assert child.parent_session_id == parent.id and child.title.startswith("subtask")
    user, reply = engine.transcript(parent.id)
    assert user.role is Role.USER and user.text == "the parser drops the last token"
    kinds = [type(p).__name__ for p in reply.parts]
    assert kinds == ["ThinkingPart", "ToolUsePart", "ToolResultPart", "TextPart", "FileChangePart"]
    assert isinstance(reply.parts[0], ThinkingPart) and isinstance(reply.parts[1], ToolUsePart)
    result = reply.parts[2]
    assert isinstance(result, ToolResultPart) and result.content == "def lex(): ..."
    assert reply.usage.input_tokens == 1050 and reply.usage.cost_usd == 0.25
    assert parent.totals.cost_usd == 0.25 and reply.model == "anthropic/claude-opus-4-5"
    assert [m.text for m in engine.transcript(child.id)] == ["read it", "done"]


def test_the_json_storage_layout(engine: Engine, tmp_path: Path) -> None:
    root = _files(tmp_path / "opencode")
    report = OpenCodeImporter(engine).run(root).to_dict()
    assert report["imported"] == 1 and report["sessions"] == 2
    _check(engine)
    assert OpenCodeImporter(engine).run(root).to_dict()["unchanged"] == 1
    engine.rename(opencode_id("session", "ses_a"), "renamed here")
    part = {"id": "prt_z", "messageID": "msg_9", "sessionID": "ses_a", "type": "text"}
    _put(root / "storage" / "part" / "msg_9" / "prt_z.json", {**part, "text": "more"})
    message = {"id": "msg_9", "sessionID": "ses_a", "role": "user"}
    _put(root / "storage" / "message" / "ses_a" / "msg_9.json",
         {**message, "time": {"created": 1770000500000}})  # fmt: skip
    assert OpenCodeImporter(engine).run(root).to_dict()["updated"] == 1
    again = engine.session(opencode_id("session", "ses_a"))
    assert again.title == "renamed here" and again.totals.messages == 3


def test_the_sqlite_database(engine: Engine, tmp_path: Path) -> None:
    root = _database(tmp_path / "opencode")
    assert OpenCodeImporter(engine).run(root).to_dict()["sessions"] == 2
    _check(engine)


def test_the_cli_and_the_real_sample_when_it_is_there(
    engine: Engine,
    tmp_path: Path,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nothing"))
    assert main(["import", "opencode"]) == 2
    assert "does not exist (set XDG_DATA_HOME" in capsys.readouterr().err
    sample = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "opencode"
    real = next(sample.glob("*.jsonl"), None) if sample.is_dir() else None
    if real is None:
        return
    assert main(["import", "opencode", str(real), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["sessions"] == 2 and report["failed"] == 0


def test_a_changed_database_writes_again_only_the_sessions_that_changed(
    engine: Engine, tmp_path: Path
) -> None:
    root = _database(tmp_path / "opencode")
    OpenCodeImporter(engine).run(root)
    child = opencode_id("session", "ses_b")
    engine.rename(child, "renamed here")
    family = next((engine.store.home / "families").rglob(f"{child}.json"))
    before = family.stat().st_mtime_ns, family.stat().st_ino
    db = sqlite3.connect(root / "opencode.db")  # OpenCode writes one more part to ses_a
    part = {"id": "prt_z", "messageID": "msg_2", "sessionID": "ses_a", "type": "text",
            "text": "And a test for it."}  # fmt: skip
    db.execute("INSERT INTO part VALUES (?, ?, ?)", (part["id"], "msg_2", json.dumps(part)))
    db.commit()
    db.close()
    report = OpenCodeImporter(engine).run(root).to_dict()
    assert report["updated"] == 1 and report["sessions"] == 2
    assert engine.transcript(opencode_id("session", "ses_a"))[-1].text.endswith("a test for it.")
    assert (family.stat().st_mtime_ns, family.stat().st_ino) == before  # not written again
    assert engine.session(child).title == "renamed here"
    engine.delete(child)  # gone from the store: the next change brings it back, as before
    db = sqlite3.connect(root / "opencode.db")
    db.execute("UPDATE part SET data = ? WHERE id = 'prt_z'", (json.dumps({**part, "text": "x"}),))
    db.commit()
    db.close()
    assert OpenCodeImporter(engine).run(root).to_dict()["sessions"] == 2
    assert engine.session(child).parent_session_id == opencode_id("session", "ses_a")


def _many(root: Path, count: int) -> Path:
    """A database of `count` copies of the sample's two sessions (a parent and its
    subtask), each copy under its own ids."""
    root.mkdir(parents=True)
    db = sqlite3.connect(root / "opencode.db")
    for table in ("session", "message", "part"):
        db.execute(f"CREATE TABLE {table} (id TEXT PRIMARY KEY, owner_id TEXT, data TEXT)")
    for n in range(count):

        def rid(value: str, n: int = n) -> str:
            return f"{value}_{n}"

        for s in SESSIONS:
            obj = {
                **s,
                "id": rid(s["id"]),
                **({"parentID": rid(s["parentID"])} if "parentID" in s else {}),
            }
            db.execute("INSERT INTO session VALUES (?, ?, ?)", (obj["id"], "p1", json.dumps(obj)))
        for m in MESSAGES:
            obj = {**m, "id": rid(m["id"]), "sessionID": rid(m["sessionID"])}
            db.execute(
                "INSERT INTO message VALUES (?, ?, ?)",
                (obj["id"], obj["sessionID"], json.dumps(obj)),
            )
        for p in PARTS:
            obj = {
                **p,
                "id": rid(p["id"]),
                "messageID": rid(p["messageID"]),
                "sessionID": rid(p["sessionID"]),
            }
            db.execute(
                "INSERT INTO part VALUES (?, ?, ?)", (obj["id"], obj["messageID"], json.dumps(obj))
            )
    db.commit()
    db.close()
    return root


@pytest.mark.parametrize("killed", [False, True])
def test_a_big_first_import_built_by_workers_stores_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killed: bool
) -> None:
    """Workers build and encode the sessions of a big first import; one killed (say,
    out of memory) leaves its sessions to the importing process, and nothing is lost."""
    from tui.engine.importers import bulk, opencode

    root = _many(tmp_path / "opencode", 40)
    monkeypatch.setattr(opencode, "WORKER_JOB", 16)  # five jobs
    pools: list[Any] = []
    start_pool = bulk.bulk_pool

    def watched(*arguments: Any) -> Any:
        pool = start_pool(*arguments)
        if pool is not None:  # None below PARALLEL_BYTES
            pools.append(pool)
            for pid in pool.pids if killed else ():
                os.kill(pid, signal.SIGKILL)
        return pool

    monkeypatch.setattr(opencode, "bulk_pool", watched)
    reports = reports_both_ways(
        tmp_path, monkeypatch, lambda engine: OpenCodeImporter(engine).run(root).to_dict()
    )
    assert len(pools) == 1  # the second import ran in workers (the first had none)
    assert reports[0] == reports[1] and reports[1]["sessions"] == 80
    assert contents_at(tmp_path / "one") == contents_at(tmp_path / "workers")
    again = Engine.open(tmp_path / "workers")
    children = [s for s in again.sessions() if s.parent_session_id]
    assert len(children) == 40
    assert OpenCodeImporter(again).run(root).to_dict()["unchanged"] == 1
    again.close()
