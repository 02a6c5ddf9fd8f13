"""The Codex importer on small rollouts written here: both formats, tool calls paired by
call_id, reasoning, token counts, compactions, forks and subagents, re-imports."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.importers.store_contents import contents_at, reports_both_ways
from tui.cli import main
from tui.engine import Engine
from tui.engine.importers.codex import CodexImporter, codex_id
from tui.engine.sessions.model import Role, ThinkingPart, ToolResultPart, ToolUsePart

T = "2026-03-01T10:00:00.000Z"


def _line(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"timestamp": T, "type": kind, "payload": payload}


def _meta(thread: str, **extra: Any) -> dict[str, Any]:
    return _line("session_meta", {"id": thread, "timestamp": T, "cwd": "/work/app",
                                  "git": {"branch": "main"}, **extra})  # fmt: skip


def _user(text: str) -> dict[str, Any]:
    return _line("response_item", {"type": "message", "role": "user",
                                   "content": [{"type": "input_text", "text": text}]})  # fmt: skip


def _say(text: str) -> dict[str, Any]:
    return _line("response_item", {"type": "message", "role": "assistant",
                                   "content": [{"type": "output_text", "text": text}]})  # fmt: skip


def _write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def _current(thread: str, **meta: Any) -> list[dict[str, Any]]:
    return [
        _meta(thread, **meta),
        _line("turn_context", {"cwd": "/work/app", "model": "gpt-4o-mini"}),
        _user("<environment_context>\n  <cwd>/work/app</cwd>\n</environment_context>"),
        _user("Fix the failing test"),
        _line("response_item", {"type": "reasoning",
                                "summary": [{"type": "summary_text", "text": "**Looking**"}]}),
        _line("response_item", {"type": "function_call", "name": "shell", "call_id": "c1",
                                "arguments": json.dumps({"command": ["pytest", "-q"]})}),
        _line("response_item", {"type": "function_call_output", "call_id": "c1",
                                "output": json.dumps({"output": "1 failed",
                                                      "metadata": {"exit_code": 1}})}),
        _line("event_msg", {"type": "token_count", "info": {"last_token_usage": {
            "input_tokens": 1200, "output_tokens": 80}}}),
        _say("The test expects 2; fixed."),
        _line("event_msg", {"type": "token_count", "info": None}),
        _line("ghost_snapshot", {"whatever": 1}),
        _line("compacted", {"message": "Summary: the test was fixed."}),
        _user("Now run the linter"),
        _say("Clean."),
    ]  # fmt: skip


def test_current_format_reads_calls_thinking_usage_and_compaction(
    engine: Engine, tmp_path: Path
) -> None:
    root = tmp_path / "sessions"
    _write(root / "2026/03/01/rollout-2026-03-01T10-00-00-aaa.jsonl", _current("aaa"))
    report = CodexImporter(engine).run(root).to_dict()
    assert report["imported"] == 1 and report["failed"] == 0
    (session,) = engine.sessions()
    assert session.title == "Fix the failing test" and session.provider == "codex"
    assert session.origin.cwd == "/work/app" and session.origin.git_branch == "main"
    assert session.origin.source_id == "aaa" and session.model == "gpt-4o-mini"
    transcript = engine.transcript(session.id)
    assert [m.role for m in transcript] == [Role.USER, Role.ASSISTANT, Role.ASSISTANT,
                                            Role.USER, Role.ASSISTANT]  # fmt: skip
    reply = transcript[1]
    kinds = [type(p) for p in reply.parts]
    assert kinds[:3] == [ThinkingPart, ToolUsePart, ToolResultPart]
    result = reply.parts[2]
    assert isinstance(result, ToolResultPart) and result.is_error and result.exit_code == 1
    assert reply.usage.input_tokens == 1200 and reply.usage.cost_usd  # priced: a known model
    assert transcript[2].compact and "Summary" in transcript[2].text
    assert session.totals.input_tokens == 1200


def test_older_format_and_reimport_reads_only_changed_files(engine: Engine, tmp_path: Path) -> None:
    old = tmp_path / "rollout-old.jsonl"
    _write(old, [
        {"id": "old-1", "timestamp": T, "instructions": "be nice"},
        {"record_type": "state"},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
        {"type": "message", "role": "assistant",
         "content": [{"type": "output_text", "text": "hello"}]},
    ])  # fmt: skip
    importer = CodexImporter(engine)
    assert importer.run(old).to_dict()["imported"] == 1
    (session,) = engine.sessions()
    assert [m.text for m in engine.transcript(session.id)] == ["hi", "hello"]
    assert CodexImporter(engine).run(old).to_dict()["unchanged"] == 1
    engine.rename(session.id, "my name for it")
    with old.open("a") as handle:  # the session went on: appended to the same rollout
        handle.write(
            json.dumps(
                {
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_text", "text": "more"}],
                }
            )
            + "\n"
        )
    os.utime(old, ns=(1, 2))
    assert CodexImporter(engine).run(old).to_dict()["updated"] == 1
    again = engine.session(session.id)
    assert again.title == "my name for it" and again.totals.messages == 3  # same session


def test_forks_and_subagents_hang_under_their_parent(engine: Engine, tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    _write(root / "a.jsonl", _current("parent"))
    _write(root / "b.jsonl", [*_current("forked", forked_from_id="parent"), _meta("parent")])
    sub = {"subagent": {"thread_spawn": {"parent_thread_id": "parent", "depth": 1}}}
    _write(root / "c.jsonl", _current("helper", source=sub))
    _write(root / "d.jsonl", [{"broken": True}, "not json at all"])  # type: ignore[list-item]
    (root / "e.jsonl").write_text("{not json\n")
    report = CodexImporter(engine).run(root).to_dict()
    assert report["failed"] == 0 and report["skipped_lines"] >= 2
    parent = codex_id("session", "parent")
    children = {s.origin.source_id for s in engine.sessions() if s.parent_session_id == parent}
    assert children == {"forked", "helper"}


def test_the_cli_imports_codex_and_says_where_it_looked(
    engine: Engine,
    tmp_path: Path,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex"))
    assert main(["import", "codex"]) == 2
    assert "codex/sessions does not exist (set CODEX_HOME" in capsys.readouterr().err
    _write(tmp_path / "codex" / "sessions" / "x.jsonl", _current("xyz"))
    assert main(["import", "codex", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sessions"] == 1


SHARED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "codex"


def test_real_rollouts_when_the_shared_samples_are_there(engine: Engine) -> None:
    import pytest

    if not SHARED.is_dir():
        pytest.skip("../shared/fixtures/codex is not beside this checkout")
    report = CodexImporter(engine).run(SHARED).to_dict()
    assert report["failed"] == 0 and report["sessions"] >= 4
    for session in engine.sessions():
        transcript = engine.transcript(session.id)
        assert transcript and transcript[0].role is Role.USER
        calls = {p.tool_id for m in transcript for p in m.parts if isinstance(p, ToolUsePart)}
        results = {p.tool_id for m in transcript for p in m.parts if isinstance(p, ToolResultPart)}
        assert results <= calls  # every output found its call


def test_a_big_import_read_by_worker_processes_stores_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "sessions"
    _write(root / "a.jsonl", _current("parent"))
    _write(root / "b.jsonl", [*_current("forked", forked_from_id="parent"), _meta("parent")])
    sub = {"subagent": {"thread_spawn": {"parent_thread_id": "parent", "depth": 1}}}
    _write(root / "c.jsonl", _current("helper", source=sub))
    _write(root / "d.jsonl", [{"broken": True}])
    _write(root / "e.jsonl", [_meta("empty")])  # no entries: no session
    reports = reports_both_ways(
        tmp_path, monkeypatch, lambda engine: CodexImporter(engine).run(root).to_dict()
    )
    assert reports[0] == reports[1] and reports[1]["imported"] == 5
    assert contents_at(tmp_path / "one") == contents_at(tmp_path / "workers")
    again = Engine.open(tmp_path / "workers")
    assert CodexImporter(again).run(root).to_dict()["unchanged"] == 5
    parent = codex_id("session", "parent")
    children = {s.origin.source_id for s in again.sessions() if s.parent_session_id == parent}
    assert children == {"forked", "helper"}
    again.close()


def test_a_codex_import_commits_batch_by_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each transaction holds about BATCH_BYTES of input (a big history is never held in
    memory whole, nor the store's lock for all of it); the store is the same."""
    from tui.engine.importers import bulk

    root = tmp_path / "sessions"
    for n in range(4):
        _write(root / f"{n}.jsonl", _current(f"t{n}"))
    engine = Engine.open(tmp_path / "whole")
    CodexImporter(engine).run(root)
    engine.close()
    monkeypatch.setattr(bulk, "BATCH_BYTES", 1)  # every rollout its own transaction
    engine = Engine.open(tmp_path / "batched")
    commits: list[int] = []
    commit = engine.store._commit  # type: ignore[attr-defined]

    def counted() -> None:
        commits.append(1)
        commit()

    monkeypatch.setattr(engine.store, "_commit", counted)
    assert CodexImporter(engine).run(root).to_dict()["imported"] == 4
    engine.close()
    assert len(commits) >= 4
    assert contents_at(tmp_path / "whole") == contents_at(tmp_path / "batched")
