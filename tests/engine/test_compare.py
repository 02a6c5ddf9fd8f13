"""Alignment and diff of two branches, fan-out and choosing a winner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.engine import Engine, InvalidInputError
from tui.engine.explore.compare import align, word_diff
from tui.engine.explore.fanout import choose_winner, fanout, parse_target, siblings
from tui.engine.providers import EchoProvider
from tui.engine.sessions.model import Message, Role, TextPart, ToolUsePart, Usage


def _m(mid: str, role: Role, text: str = "", tools: tuple[ToolUsePart, ...] = ()) -> Message:
    parts = ((TextPart(text),) if text else ()) + tools
    return Message(mid, None, role, parts, 0.0, usage=Usage(10, 5, 0.001))


def test_identical_tails_have_no_differences() -> None:
    tail = [_m("1", Role.USER, "q"), _m("2", Role.ASSISTANT, "same answer")]
    pairs = align(tail, list(tail))
    assert len(pairs) == 1 and pairs[0].same
    assert [c.op for c in pairs[0].chunks] == ["equal"]


def test_one_empty_tail() -> None:
    tail = [_m("1", Role.USER, "q"), _m("2", Role.ASSISTANT, "an answer")]
    pairs = align(tail, [])
    assert len(pairs) == 1 and pairs[0].b is None and not pairs[0].same
    assert pairs[0].chunks == (word_diff("an answer", "")[0],)


def test_different_lengths_align_turn_by_turn() -> None:
    a = [
        _m("1", Role.USER, "q1"),
        _m("2", Role.ASSISTANT, "the cat sat"),
        _m("3", Role.USER, "q2"),
        _m("4", Role.ASSISTANT, "more"),
    ]
    b = [_m("5", Role.USER, "q1"), _m("6", Role.ASSISTANT, "the dog sat")]
    pairs = align(a, b)
    assert len(pairs) == 2 and pairs[1].b is None
    changed = [(c.a, c.b) for c in pairs[0].chunks if c.op != "equal"]
    assert changed == [("cat", "dog")]
    assert pairs[0].prompt_same and not pairs[0].same


def test_tool_calls_only_are_compared_by_name_and_input() -> None:
    read = ToolUsePart("t1", "read_file", {"path": "a.py"})
    read_other = ToolUsePart("t2", "read_file", {"path": "b.py"})
    grep = ToolUsePart("t3", "grep", {"q": "x"})
    a = [_m("1", Role.USER, "go"), _m("2", Role.ASSISTANT, tools=(read, grep))]
    b = [_m("3", Role.USER, "go"), _m("4", Role.ASSISTANT, tools=(read_other,))]
    (pair,) = align(a, b)
    assert [(t.name_a, t.name_b, t.same_input) for t in pair.tools] == [
        ("read_file", "read_file", False),
        ("grep", None, False),
    ]
    assert not pair.same
    same = align(
        a,
        [
            _m("5", Role.USER, "go"),
            _m(
                "6",
                Role.ASSISTANT,
                tools=(
                    ToolUsePart("x", "read_file", {"path": "a.py"}),
                    ToolUsePart("y", "grep", {"q": "x"}),
                ),
            ),
        ],
    )
    assert same[0].same  # ids differ, names and inputs match


def test_engine_compare_of_two_forks(engine: Engine) -> None:
    sid = engine.new_session().id
    engine.append(sid, "user", "shared question")
    engine.append(sid, "assistant", "shared answer")
    left = engine.fork(sid, title="left", model="m-left")
    right = engine.fork(sid, title="right", model="m-right")
    engine.append(left.id, "user", "go on")
    engine.append(
        left.id, "assistant", "left reply here", model="m-left", usage=Usage(100, 20, 0.5)
    )
    engine.append(right.id, "user", "go on")
    engine.append(
        right.id,
        "assistant",
        "right reply here",
        model="m-right",
        parts=[ToolUsePart("t", "search", {"q": "x"})],
    )
    c = engine.compare(left.id, right.id)
    assert c.shared == 2 and c.ancestor is not None
    assert c.metrics_a.model == "m-left" and c.metrics_a.cost_usd == 0.5
    assert c.metrics_b.tool_calls == {"search": 1}
    assert c.differences() == [0]
    data = c.to_dict()
    assert data["shared"] == 2 and data["turns"][0]["same"] is False
    assert ["replace", "left", "right"] in data["turns"][0]["diff"]


async def test_fanout_streams_three_forks_at_once(isolated_env: Path) -> None:
    engine = Engine.open(isolated_env, providers=lambda name: EchoProvider(delay=0.001))
    sid = engine.new_session().id
    engine.append(sid, "user", "base")
    engine.append(sid, "assistant", "base answer")
    targets = [parse_target(t) for t in ("echo/model-a", "model-b", "echo/")]
    assert targets == [("echo", "model-a"), (None, "model-b"), ("echo", None)]
    results = await fanout(engine, sid, "which way?", targets)
    assert [r.outcome for _, r in results] == ["success"] * 3
    forks = [s for s, _ in results]
    assert {f.model for f in forks} == {"model-a", "model-b", None}
    for fork in forks:
        msgs = engine.transcript(fork.id)
        assert [m.text for m in msgs[:2]] == ["base", "base answer"]
        assert msgs[2].text == "which way?" and "which way?" in msgs[3].text
    assert len(siblings(engine, forks[0].id)) == 2
    archived = choose_winner(engine, forks[1].id)
    assert {s.id for s in archived} == {forks[0].id, forks[2].id}
    assert all(engine.session(s.id).archived for s in archived)
    assert not engine.session(forks[1].id).archived
    assert len(engine.transcript(forks[0].id)) == 4  # archived, never deleted


def test_cli_compare_and_fanout(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    main(["new", "--title", "base"])
    sid = capsys.readouterr().out.strip()
    assert main(["fanout", sid, "hello", "--models", "echo/a,echo/b", "--json"]) == 0
    forks = json.loads(capsys.readouterr().out)
    assert [f["outcome"] for f in forks] == ["success", "success"]
    assert main(["compare", forks[0]["session"], forks[1]["session"], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["shared"] == 0 and len(data["turns"]) == 1 and data["turns"][0]["same"]
    assert main(["compare", forks[0]["session"][:8], forks[1]["session"][:8]]) == 0
    assert "turn 1 (same)" in capsys.readouterr().out


def test_checkpoints_name_messages_and_restore_forks(engine: Engine) -> None:
    sid = engine.new_session(title="ckpt").id
    engine.append(sid, "user", "step one")
    engine.append(sid, "assistant", "done one")
    engine.append(sid, "user", "step two")
    first = engine.transcript(sid)[1]
    session = engine.checkpoint(sid, first.id[:10], "  after step one \n")
    assert session.checkpoints == ((first.id, "after step one"),)
    renamed = engine.checkpoint(sid, first.id, "good state")
    assert renamed.checkpoints == ((first.id, "good state"),)  # one name per message
    fork = engine.restore(sid, "good")
    assert fork.parent_session_id == sid and fork.head_id == first.id
    assert fork.title == "good state (restored)"
    with pytest.raises(InvalidInputError, match="checkpoints: good state"):
        engine.restore(sid, "nope")
    stored = Engine.open(engine.store.home).session(sid)
    assert stored.checkpoints == ((first.id, "good state"),)


def test_cli_checkpoint_and_restore(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    main(["new", "--title", "c"])
    sid = capsys.readouterr().out.strip()
    main(["send", sid, "hello"])
    main(["show", sid, "--json"])
    out = capsys.readouterr().out
    reply = json.loads(out[out.index("{") :])["transcript"][1]["id"]
    assert main(["checkpoint", sid, reply[:8], "first answer"]) == 0
    assert "checkpoint “first answer”" in capsys.readouterr().out
    assert main(["restore", sid, "first"]) == 0
    fork_id = capsys.readouterr().out.strip()
    main(["show", fork_id, "--json"])
    out = capsys.readouterr().out
    fork = json.loads(out[out.index("{") :])
    assert fork["title"] == "first answer (restored)" and fork["head_id"] == reply
    assert main(["restore", sid, "zzz"]) == 2
