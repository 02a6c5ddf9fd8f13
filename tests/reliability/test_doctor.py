"""`forktree doctor` on a store damaged in each way the trust issue lists: what it
reports, what --repair fixes, and that no message is ever lost."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.cli import main
from tui.engine import Engine
from tui.engine.sessions.tree import BrokenHistoryError
from tui.engine.store import TinyDBStore
from tui.engine.store.doctor import doctor


def _store(home: Path) -> dict[str, str]:
    engine = Engine.open(home)
    a = engine.new_session(title="alpha").id
    engine.append(a, "user", "one")
    engine.append(a, "assistant", "two")
    b = engine.fork(a, title="alpha fork").id
    engine.append(b, "user", "three")
    engine.close()
    return {"a": a, "b": b}


def _edit_json(path: Path, change: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _family(home: Path, root: str) -> Path:
    return next((home / "families").rglob(f"{root}.json"))


def _messages(home: Path) -> int:
    files = (home / "families").rglob("*.json")
    return sum(len(json.loads(p.read_text())["messages"]) for p in files)


def _kinds(home: Path, repair: bool = False) -> list[tuple[str, bool]]:
    store = TinyDBStore(home)
    report = doctor(store, repair=repair)
    store.close()
    return [(f.kind, bool(f.fixed)) for f in report.findings]


def test_a_healthy_store_has_no_findings(isolated_env: Path) -> None:
    _store(isolated_env)
    assert _kinds(isolated_env) == []


def test_a_deleted_index_shard_is_listed_again(isolated_env: Path) -> None:
    ids = _store(isolated_env)
    for shard in (isolated_env / "index").glob("*.json"):
        shard.unlink()
    assert Engine.open(isolated_env).sessions() == []  # invisible until repaired
    assert ("unlisted", False) in _kinds(isolated_env)
    assert ("unlisted", True) in _kinds(isolated_env, repair=True)
    assert {s.id for s in Engine.open(isolated_env).sessions()} == {ids["a"], ids["b"]}
    assert _kinds(isolated_env) == []


def test_a_cycle_is_reported_not_walked_forever_and_repair_breaks_it(
    isolated_env: Path,
) -> None:
    ids = _store(isolated_env)
    engine = Engine.open(isolated_env)
    first = engine.transcript(ids["a"])[0].id
    head = engine.session(ids["b"]).head_id
    before = _messages(isolated_env)

    def loop(data: dict) -> None:  # type: ignore[type-arg]
        data["messages"][first]["parent_id"] = head

    _edit_json(_family(isolated_env, ids["a"]), loop)
    with pytest.raises(BrokenHistoryError, match="loops back"):
        Engine.open(isolated_env).transcript(ids["b"])
    assert ("cycle", False) in _kinds(isolated_env)
    assert ("cycle", True) in _kinds(isolated_env, repair=True)
    assert len(Engine.open(isolated_env).transcript(ids["b"])) >= 1
    assert _messages(isolated_env) == before  # nothing deleted
    assert any(p.name.startswith("doctor-cycle-") for p in (isolated_env / "quarantine").iterdir())


def test_a_missing_head_is_cleared_and_the_old_doc_kept(isolated_env: Path) -> None:
    ids = _store(isolated_env)
    head = Engine.open(isolated_env).session(ids["b"]).head_id

    def drop(data: dict) -> None:  # type: ignore[type-arg]
        del data["messages"][head]

    _edit_json(_family(isolated_env, ids["a"]), drop)
    assert ("missing_head", True) in _kinds(isolated_env, repair=True)
    assert Engine.open(isolated_env).transcript(ids["b"]) == []
    assert _kinds(isolated_env) == []


def test_a_listed_session_whose_family_lost_it_is_put_back(isolated_env: Path) -> None:
    ids = _store(isolated_env)

    def forget(data: dict) -> None:  # type: ignore[type-arg]
        del data["sessions"][ids["b"]]

    _edit_json(_family(isolated_env, ids["a"]), forget)
    assert ("listed_without_family", True) in _kinds(isolated_env, repair=True)
    assert ids["b"] in {s.id for s in Engine.open(isolated_env).family(ids["a"])}


def test_leftover_temp_files_are_removed_on_open(isolated_env: Path) -> None:
    _store(isolated_env)
    (isolated_env / "staging" / ".tmp-dead-writer").write_bytes(b"{half")
    Engine.open(isolated_env).close()
    assert not list((isolated_env / "staging").iterdir())


def test_a_corrupt_search_index_never_fails_a_write(isolated_env: Path) -> None:
    ids = _store(isolated_env)
    engine = Engine.open(isolated_env)
    assert engine.search("one")
    engine.close()
    (isolated_env / "search.sqlite3").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{isolated_env / 'search.sqlite3'}{suffix}").unlink(missing_ok=True)
    engine = Engine.open(isolated_env)
    engine.append(ids["a"], "user", "still saved")  # no traceback
    assert engine.transcript(ids["a"])[-1].text == "still saved"
    assert any("search.sqlite3" in p for p in engine.problems)
    assert [h.snippet for h in engine.search("saved")] == ["still [saved]"]


def test_doctor_on_the_command_line(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store(isolated_env)
    for shard in (isolated_env / "index").glob("*.json"):
        shard.unlink()
    assert main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems_left"] == 2
    assert main(["doctor", "--repair"]) == 0
    assert "fixed: listed again" in capsys.readouterr().out
    assert main(["doctor"]) == 0
    assert "no problems found" in capsys.readouterr().out


def test_destructive_commands_ask_first(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _store(isolated_env)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["rm", ids["b"]]) == 2
    assert "without asking" in capsys.readouterr().err
    assert main(["cleanup", "--match", "one", "--apply", "--delete"]) == 2
    assert "add -y" in capsys.readouterr().err
    assert main(["cleanup", "--older-than", "-5"]) == 2
    assert "days >= 0" in capsys.readouterr().err
    assert len(Engine.open(isolated_env).sessions()) == 2  # nothing was deleted


def test_doctor_reports_a_commit_a_killed_process_left_journaled(isolated_env: Path) -> None:
    ids = _store(isolated_env)
    staged = isolated_env / "staging" / ".tmp-staged"
    family = _family(isolated_env, ids["a"])
    staged.write_text(family.read_text())
    (isolated_env / "journal.json").write_text(
        json.dumps({"moves": [["staging/.tmp-staged", str(family.relative_to(isolated_env))]]})
    )
    assert ("half_commit", True) in _kinds(isolated_env)
    assert not (isolated_env / "journal.json").exists() and not staged.exists()
