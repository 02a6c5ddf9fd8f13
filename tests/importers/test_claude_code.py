"""The Claude Code importer on small fixtures, each covering one pitfall of the format."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.engine import Engine, Role
from tui.engine.importers.claude_code import ClaudeCodeImporter
from tui.engine.sessions.model import TextPart, ThinkingPart, ToolResultPart, ToolUsePart

from .cc_fixture import SID, Transcript, text, tool_use


def _import(engine: Engine, path: Path) -> dict[str, object]:
    return ClaudeCodeImporter(engine).run(path).to_dict()


def _by_title(engine: Engine) -> dict[str, str]:
    return {s.title: s.id for s in engine.sessions()}


def _basic(t: Transcript) -> str:
    p = t.user("Fix the flaky test in parser.py", None)
    a = t.assistant(
        [{"type": "thinking", "thinking": "Look first.", "signature": "s"}],
        p,
        "msg_1",
        out_tokens=1,
    )
    a = t.assistant([text("Reading it.")], a, "msg_1", out_tokens=2)
    a = t.assistant(
        [tool_use("toolu_1", "Read", {"file_path": "parser.py"})], a, "msg_1", out_tokens=40
    )
    r = t.result("toolu_1", "def parse(): ...", a)
    return t.assistant([text("Fixed: the test relied on dict order.")], r, "msg_2", out_tokens=12)


def test_split_assistant_lines_make_one_message_with_usage_once(
    engine: Engine, tmp_path: Path
) -> None:
    t = Transcript()
    _basic(t)
    report = _import(engine, t.write(tmp_path / "proj" / f"{SID}.jsonl"))
    assert report["imported"] == 1 and report["sessions"] == 1
    (session,) = engine.sessions()
    msgs = engine.transcript(session.id)
    assert [m.role for m in msgs] == [Role.USER, Role.ASSISTANT, Role.ASSISTANT]
    first = msgs[1]
    assert [type(p) for p in first.parts] == [ThinkingPart, TextPart, ToolUsePart, ToolResultPart]
    assert first.usage.input_tokens == 100 and first.usage.output_tokens == 40
    assert session.totals.input_tokens == 200 and session.totals.output_tokens == 52
    assert session.totals.cost_usd > 0  # priced from the table
    assert session.title == "Fix the flaky test in parser.py"
    assert session.provider == "claude_code" and session.origin.source_id == SID
    assert session.origin.cwd == "/work/proj" and session.origin.git_branch == "main"


def test_parallel_tool_calls_pair_results_by_id(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    p = t.user("look at three files", None)
    a1 = t.assistant([tool_use("t_a", "Read", {"f": "a"})], p, "msg_p")
    a2 = t.assistant([tool_use("t_b", "Read", {"f": "b"})], a1, "msg_p")
    a3 = t.assistant([tool_use("t_c", "Read", {"f": "c"})], a2, "msg_p")
    t.result("t_a", "A", a1)  # dead-end leaves, each under its own tool_use line
    t.result("t_b", [{"type": "text", "text": "B"}], a2, is_error=True)
    rc = t.result("t_c", "C", a3)
    t.assistant([text("all read")], rc, "msg_q")
    _import(engine, t.write(tmp_path / "p.jsonl"))
    (session,) = engine.sessions()
    msgs = engine.transcript(session.id)
    assert len(msgs) == 3
    results = {p.tool_id: p for p in msgs[1].parts if isinstance(p, ToolResultPart)}
    assert {k: v.content for k, v in results.items()} == {"t_a": "A", "t_b": "B", "t_c": "C"}
    assert results["t_b"].is_error
    assert msgs[2].text == "all read"


def test_inline_sidechain_nests_under_its_task_call(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    p = t.user("build it", None)
    a = t.assistant(
        [
            tool_use(
                "task_1", "Task", {"description": "Write tests", "prompt": "Write the tests please"}
            )
        ],
        p,
        "msg_t",
    )
    s1 = t.user("Write the tests please", None, isSidechain=True)
    s2 = t.assistant([text("tests written")], s1, "msg_s", isSidechain=True)
    t.result("task_1", "tests written", a)
    t.assistant([text("done")], a, "msg_end")
    del s2
    _import(engine, t.write(tmp_path / "p.jsonl"))
    titles = _by_title(engine)
    sub = engine.session(titles["subagent: Write tests"])
    main = engine.session(titles["build it"])
    assert sub.parent_session_id == main.id and sub.origin.source_id == "task_1"
    sub_msgs = engine.transcript(sub.id)
    assert [m.text for m in sub_msgs[-2:]] == ["Write the tests please", "tests written"]
    assert sub.fork_point_id == engine.transcript(main.id)[1].id  # the Task call
    assert [m.text for m in engine.transcript(main.id)][-1] == "done"


def test_subagent_files_are_read_with_their_session(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    p = t.user("delegate", None)
    t.assistant(
        [tool_use("task_9", "Task", {"description": "Scan repo", "prompt": "Scan"})], p, "msg_t"
    )
    main = t.write(tmp_path / "proj" / f"{SID}.jsonl")
    agent = Transcript()
    agent.n = 500  # uuids are unique across files in real transcripts
    s = agent.user("Scan", None, isSidechain=True, agentId="a1")
    agent.assistant([text("found 3 modules")], s, "msg_a", isSidechain=True, agentId="a1")
    agent.write(tmp_path / "proj" / SID / "subagents" / "agent-a1.jsonl")
    report = _import(engine, tmp_path)
    assert report["imported"] == 1  # the subagent file is not a session file of its own
    sub = engine.session(_by_title(engine)["subagent: Scan repo"])
    assert engine.transcript(sub.id)[-1].text == "found 3 modules"
    # touching only the subagent file makes the session file count as changed
    os.utime(tmp_path / "proj" / SID / "subagents" / "agent-a1.jsonl", ns=(1, 1))
    assert _import(engine, tmp_path)["updated"] == 1
    assert main.exists()


def test_compaction_keeps_history_browsable(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    p = t.user("long task", None)
    a = t.assistant([text("step one")], p, "msg_1")
    b = t.system(
        "compact_boundary",
        None,
        logicalParentUuid=a,
        content="Conversation compacted",
        compactMetadata={"trigger": "auto"},
    )
    c = t.user(
        "This session is being continued from a previous conversation...",
        b,
        isCompactSummary=True,
        isVisibleInTranscriptOnly=True,
    )
    t.assistant([text("step two")], c, "msg_2")
    _import(engine, t.write(tmp_path / "p.jsonl"))
    (session,) = engine.sessions()
    msgs = engine.transcript(session.id)
    assert [m.role for m in msgs] == [
        Role.USER,
        Role.ASSISTANT,
        Role.SYSTEM,
        Role.SYSTEM,
        Role.ASSISTANT,
    ]
    assert "compacted" in msgs[2].text and msgs[3].text.startswith("**Compact summary**")
    assert msgs[0].text == "long task" and msgs[-1].text == "step two"


@pytest.mark.parametrize("kind", ["summary", "custom-title"])
def test_summary_and_custom_title_name_the_session(
    engine: Engine, tmp_path: Path, kind: str
) -> None:
    t = Transcript()
    leaf = _basic(t)
    if kind == "summary":
        t.lines.insert(0, {"type": "summary", "summary": "Parser fix", "leafUuid": leaf})
    else:
        t.raw({"type": "custom-title", "customTitle": "Parser fix", "sessionId": SID})
    _import(engine, t.write(tmp_path / "p.jsonl"))
    assert [s.title for s in engine.sessions()] == ["Parser fix"]


def test_two_session_ids_in_one_file_are_two_sessions(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    _basic(t)
    other = Transcript(session_id="99999999-2222-3333-4444-555555555555")
    other.n = 100
    q = other.user("A different conversation", None)
    other.assistant([text("sure")], q, "msg_x")
    t.lines += other.lines
    _import(engine, t.write(tmp_path / "p.jsonl"))
    titles = _by_title(engine)
    assert set(titles) == {"Fix the flaky test in parser.py", "A different conversation"}
    ids = {engine.session(i).origin.source_id for i in titles.values()}
    assert ids == {SID, "99999999-2222-3333-4444-555555555555"}


def test_real_branch_becomes_a_fork(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    p = t.user("start", None)
    a = t.assistant([text("hello")], p, "msg_1")
    b1 = t.user("first try", a)
    t.assistant([text("answer one")], b1, "msg_2")
    b2 = t.user("second try (after rewind)", a)
    t.assistant([text("answer two")], b2, "msg_3")
    _import(engine, t.write(tmp_path / "p.jsonl"))
    titles = _by_title(engine)
    main, branch = engine.session(titles["start"]), engine.session(titles["start (branch)"])
    assert engine.transcript(main.id)[-1].text == "answer two"  # the newest leaf is active
    assert engine.transcript(branch.id)[-1].text == "answer one"
    assert branch.parent_session_id == main.id
    assert branch.fork_point_id == engine.transcript(main.id)[1].id
    assert engine.diff(main.id, branch.id).shared == 2


def test_forked_file_links_to_its_parent_session(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    _basic(t)
    t.write(tmp_path / "a.jsonl")
    fork = Transcript(session_id="fork0000-2222-3333-4444-555555555555")
    fork.n = 300  # --fork-session gives every copied record a new uuid
    q = fork.user(
        "Fix the flaky test in parser.py",
        None,
        forkedFrom={"sessionId": SID, "messageUuid": "u0001"},
    )
    fork.assistant([text("continuing in a fork")], q, "msg_f")
    fork.raw({"type": "custom-title", "customTitle": "parser (fork)"})
    fork.write(tmp_path / "b.jsonl")
    _import(engine, tmp_path)
    titles = _by_title(engine)
    child = engine.session(titles["parser (fork)"])
    assert child.parent_session_id == titles["Fix the flaky test in parser.py"]


def test_messy_files_never_fail(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    p = t.user("first", "u-missing-parent", timestamp="2026-01-01T12:00:00.000Z")
    a = t.assistant(
        [text("second, logged earlier")], p, "msg_1", timestamp="2026-01-01T11:00:00.000Z"
    )
    r = t.user("huge please", a)
    t.assistant([tool_use("big", "Bash", {"command": "cat big.log"})], r, "msg_2")
    huge = "x" * 3_000_000
    t.result("big", huge, t.lines[-1]["uuid"])
    body = t.text().splitlines()
    glued = body[1] + body[2]  # two JSON objects on one line
    lines = [body[0], glued, *body[3:], "{not json at all", "", '["a list"]']
    path = tmp_path / "messy.jsonl"
    path.write_text("\n".join(lines))  # and no trailing newline
    report = _import(engine, path)
    assert report["failed"] == 0 and report["skipped_lines"] == 2
    (session,) = engine.sessions()
    msgs = engine.transcript(session.id)
    assert [m.text for m in msgs[:2]] == ["first", "second, logged earlier"]
    result = next(p for p in msgs[-1].parts if isinstance(p, ToolResultPart))
    assert len(result.content) == 3_000_000


def test_reimport_is_incremental_and_keeps_user_forks(engine: Engine, tmp_path: Path) -> None:
    t = Transcript()
    leaf = _basic(t)
    path = t.write(tmp_path / "p.jsonl")
    assert _import(engine, path)["imported"] == 1
    assert _import(engine, path)["unchanged"] == 1
    (session,) = engine.sessions()
    fork = engine.fork(session.id, title="my experiment")
    engine.append(fork.id, "user", "a native follow-up")
    t.user("one more thing", leaf)
    t.write(path)
    report = _import(engine, path)
    assert report["updated"] == 1
    assert engine.session(session.id).totals.messages == 4  # same id, grown
    assert engine.transcript(fork.id)[-1].text == "a native follow-up"
    assert len(engine.sessions()) == 2


def test_cli_import_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli import main

    t = Transcript()
    _basic(t)
    t.write(tmp_path / "claude" / "projects" / "-work-proj" / f"{SID}.jsonl")
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "claude"))
    assert main(["import", "claude-code", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["imported"] == 1 and data["sessions"] == 1 and data["messages"] == 3
    assert main(["import", "claude-code", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_imports_run_without_full_collections_and_restore_the_gc(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from tui.engine.util.gcpause import NEVER, no_full_collections

    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    real = ClaudeCodeImporter._store

    def store(self, parsed, source):  # type: ignore[no-untyped-def]
        seen.append(gc.get_threshold())
        return real(self, parsed, source)

    monkeypatch.setattr(ClaudeCodeImporter, "_store", store)
    t = Transcript()
    _basic(t)
    assert _import(engine, t.write(tmp_path / "proj" / f"{SID}.jsonl"))["imported"] == 1
    assert seen == [(before[0], before[1], NEVER)] and gc.get_threshold() == before
    with no_full_collections():
        assert gc.get_threshold() == (before[0], before[1], NEVER)
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), no_full_collections():
        raise RuntimeError("an import failing half way")
    assert gc.get_threshold() == before
