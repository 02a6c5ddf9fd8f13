"""Hypothesis against `import json` and against stored records: cycles, non-finite and
wrong-typed fields, colliding ids. Never a hang (each example has a deadline), never a
traceback (only a clear ForktreeError), never a change to a message already stored."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.engine import Engine, ForktreeError
from tui.engine.explore.export import tree_to_json_data
from tui.engine.importers.json_import import import_json
from tui.engine.sessions.forest import build_forest

BAD_VALUES = st.sampled_from(
    [float("inf"), float("-inf"), float("nan"), 1e309, "yesterday", None, [], {}, -1, 2**70,
     "../../etc", "", True, "x" * 500, {"nested": [1, 2]}]
)  # fmt: skip
SESSION_FIELDS = ["id", "root_id", "head_id", "parent_session_id", "fork_point_id",
                  "fork_depth", "created", "updated", "title", "totals", "origin", "status",
                  "checkpoints", "provider", "model"]  # fmt: skip
MESSAGE_FIELDS = ["id", "parent_id", "role", "parts", "created", "usage", "status", "depth",
                  "totals", "writer_pid", "error", "model"]  # fmt: skip
FUZZ = settings(
    max_examples=60,
    deadline=3000,  # ms per example: a loop or a hang fails the test
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _seed(engine: Engine) -> tuple[str, dict[str, Any]]:
    sid = engine.new_session(title="precious").id
    engine.append(sid, "user", "do not change me")
    engine.append(sid, "assistant", "nor me")
    engine.fork(sid, title="its fork")
    family = engine.family(sid)
    ids = list(engine.store.family_message_ids(sid))
    messages = [engine.store.get_message(sid, m) for m in ids]
    return sid, tree_to_json_data(family, messages)


def _stored(engine: Engine, sid: str) -> list[dict[str, Any]]:
    ids = engine.store.family_message_ids(sid)
    return [engine.store.get_message(sid, m).to_dict() for m in ids]


@st.composite
def damaged_exports(draw: st.DrawFn, export: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(export)
    for _ in range(draw(st.integers(1, 4))):
        what = draw(st.sampled_from(["session", "message", "cycle", "collide", "drop"]))
        if what == "session" and data["sessions"]:
            doc = draw(st.sampled_from(data["sessions"]))
            doc[draw(st.sampled_from(SESSION_FIELDS))] = draw(BAD_VALUES)
        elif what == "message" and data["messages"]:
            doc = draw(st.sampled_from(data["messages"]))
            doc[draw(st.sampled_from(MESSAGE_FIELDS))] = draw(BAD_VALUES)
        elif what == "cycle" and len(data["messages"]) >= 2:
            first, last = data["messages"][0], data["messages"][-1]
            first["parent_id"] = last["id"]
        elif what == "collide" and data["messages"]:
            doc = draw(st.sampled_from(data["messages"]))
            doc["parts"] = [{"kind": "text", "text": "REWRITTEN HISTORY"}]
        elif what == "drop" and data["messages"]:
            data["messages"].pop(draw(st.integers(0, len(data["messages"]) - 1)))
    return data


def test_import_json_never_crashes_hangs_or_rewrites(isolated_env: Path) -> None:
    engine = Engine.open(isolated_env)
    sid, export = _seed(engine)
    before = _stored(engine, sid)

    @FUZZ
    @given(data=damaged_exports(export))
    def run(data: dict[str, Any]) -> None:
        raw = json.loads(json.dumps(data))  # what a file on disk would hold
        try:
            stored = import_json(engine, raw)
        except ForktreeError:
            return
        for session in stored:  # what was imported reads back whole
            engine.transcript(session.id)
        assert _stored(engine, sid) == before

    run()
    assert _stored(engine, sid) == before


@pytest.mark.parametrize("where", ["index", "family"])
def test_damaged_stored_records_are_skipped_not_fatal(isolated_env: Path, where: str) -> None:
    engine = Engine.open(isolated_env)
    sid, _ = _seed(engine)
    engine.close()
    files = sorted((isolated_env / ("index" if where == "index" else "families")).rglob("*.json"))
    originals = {p: p.read_text() for p in files}

    @FUZZ
    @given(field=st.sampled_from(SESSION_FIELDS), value=BAD_VALUES)
    def run(field: str, value: object) -> None:
        for path, text in originals.items():
            data = json.loads(text)
            for doc in data["sessions"].values():
                doc[field] = value
            path.write_text(json.dumps(data))
        reader = Engine.open(isolated_env)
        try:
            sessions = reader.sessions(include_archived=True)
            reader.session_rows(include_archived=True)
            for node in build_forest(sessions):
                list(node.walk())
            for session in sessions:
                with contextlib.suppress(ForktreeError):
                    reader.transcript(session.id)
        finally:
            reader.close()

    run()
    for path, text in originals.items():
        path.write_text(text)
    assert [m.text for m in Engine.open(isolated_env).transcript(sid)] == [
        "do not change me",
        "nor me",
    ]


def test_new_session_ids_over_stored_message_ids_make_a_copy(isolated_env: Path) -> None:
    """The sessions are new, but their messages' ids are stored already, with other text:
    the import becomes a copy and the stored history stays as it was."""
    engine = Engine.open(isolated_env)
    sid, export = _seed(engine)
    before = _stored(engine, sid)
    data = copy.deepcopy(export)
    for i, doc in enumerate(data["sessions"]):
        doc["id"] = f"{i:02d}" + "f" * 30
    for doc in data["messages"]:
        doc["parts"] = [{"kind": "text", "text": "REWRITTEN HISTORY"}]
    stored = import_json(engine, data)
    assert _stored(engine, sid) == before
    assert all(s.root_id != sid for s in stored)
    assert "REWRITTEN HISTORY" in engine.transcript(stored[0].id)[-1].text
