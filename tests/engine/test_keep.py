"""Export -> import round trips, and cleanup's dry run against the real thing."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tui.cli import main
from tui.engine import Engine, InvalidInputError
from tui.engine.explore.cleanup import apply, candidates
from tui.engine.explore.export import to_json_data, tree_to_json_data
from tui.engine.importers.json_import import import_json
from tui.engine.sessions.demo import build_demo


def _shape(engine: Engine, sessions: list) -> list[tuple]:  # type: ignore[type-arg]
    by_id = {s.id: s for s in sessions}
    out = []
    for s in sessions:
        parent = by_id.get(s.parent_session_id or "")
        out.append(
            (
                s.title,
                parent.title if parent else None,
                s.fork_depth,
                [
                    (m.role.value, m.text, [p.kind for p in m.parts], m.usage)
                    for m in engine.transcript(s.id)
                ],
            )
        )
    return sorted(out, key=repr)


def _family_export(engine: Engine, sid: str) -> dict:  # type: ignore[type-arg]
    root = engine.session(sid).root_id
    messages = [engine.store.get_message(root, m) for m in engine.store.family_message_ids(root)]
    return tree_to_json_data(engine.family(sid), messages)


def test_tree_export_then_import_gives_the_same_tree(engine: Engine, tmp_path: Path) -> None:
    build_demo(engine)
    billing = next(s for s in engine.sessions() if s.title.startswith("Refactor"))
    data = json.loads(json.dumps(_family_export(engine, billing.id)))
    other = Engine.open(tmp_path / "other")
    stored = import_json(other, data)
    assert {s.id for s in stored} == {s.id for s in engine.family(billing.id)}  # ids kept
    assert _shape(other, other.sessions()) == _shape(engine, engine.family(billing.id))
    again = import_json(other, data)  # into a store that has them: a copy, new ids
    assert not {s.id for s in again} & {s.id for s in stored}
    assert _shape(other, again) == _shape(other, stored)
    assert len(other.sessions()) == 2 * len(stored)


def test_session_export_round_trip_and_damaged_files(engine: Engine, tmp_path: Path) -> None:
    sid = engine.new_session(title="solo").id
    engine.append(sid, "user", "q")
    engine.append(sid, "assistant", "a")
    data = to_json_data(engine.session(sid), engine.transcript(sid))
    other = Engine.open(tmp_path / "other")
    (copy,) = import_json(other, json.loads(json.dumps(data)))
    assert [m.text for m in other.transcript(copy.id)] == ["q", "a"]
    for bad in (
        {},
        {"format": "nope"},
        {"format": "forktree-tree", "sessions": []},
        {"format": "forktree-session", "session": {"id": 3}},
    ):
        with pytest.raises(InvalidInputError):
            import_json(other, bad)


def test_cli_export_tree_and_import(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main(["demo"])
    capsys.readouterr()
    main(["list", "--json"])
    sid = next(
        s["id"]
        for s in json.loads(capsys.readouterr().out)
        if s["title"].startswith("Explain Rust")
    )
    out = tmp_path / "tree.json"
    assert main(["export", sid, "--tree", "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["format"] == "forktree-tree"
    assert main(["--home", str(tmp_path / "h2"), "import", "json", str(out)]) == 0
    assert "imported 2 session(s)" in capsys.readouterr().out
    assert main(["import", "json", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cleanup_dry_run_then_real(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    old = engine.new_session(title="ancient").id
    engine.append(old, "user", "legacy payroll question")
    session = engine.session(old)
    engine.store.put_session(session.with_changes(updated=time.time() - 90 * 86400))
    fresh = engine.new_session(title="fresh").id
    engine.append(fresh, "user", "payroll today")
    assert [s.id for s in candidates(engine, older_than_days=30)] == [old]
    assert {s.id for s in candidates(engine, matching="payroll")} == {old, fresh}
    assert [s.id for s in candidates(engine, 30, "payroll")] == [old]
    with pytest.raises(InvalidInputError):
        candidates(engine)
    assert main(["cleanup", "--older-than", "30"]) == 0
    out = capsys.readouterr().out
    assert "would archive 1 session(s)" in out and not engine.session(old).archived
    assert main(["cleanup", "--older-than", "30", "--apply"]) == 0
    assert engine.session(old).archived and not engine.session(fresh).archived
    assert apply(engine, candidates(engine, 30, include_archived=True), delete=True) == 1
    assert [s.id for s in engine.sessions(include_archived=True)] == [fresh]
