from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest

from tui.engine import Engine, InvalidInputError, MessageStatus, Role, SessionStatus
from tui.engine.providers import EchoProvider
from tui.engine.sessions.events import (
    ReplyUpdated,
    TextDelta,
    ThinkingDelta,
    ToolCall,
    TurnFinished,
)
from tui.engine.store import AmbiguousIdError, NotFoundError


def _chat(engine: Engine, turns: int = 2) -> str:
    session = engine.new_session()
    for i in range(turns):
        engine.append(session.id, "user", f"question {i}")
        engine.append(session.id, "assistant", f"answer {i}")
    return session.id


def test_new_session_gets_title_from_first_prompt(engine: Engine) -> None:
    sid = _chat(engine, 1)
    assert engine.session(sid).title == "question 0"
    assert engine.session(sid).totals.messages == 2


def test_fork_copies_nothing_and_leaves_parent_alone(engine: Engine) -> None:
    sid = _chat(engine)
    before = engine.transcript(sid)
    messages_before = len(list(engine.store.family_message_ids(engine.session(sid).root_id)))
    fork = engine.fork(sid, at=before[1].id, title="other way")
    assert [m.id for m in engine.transcript(fork.id)] == [m.id for m in before[:2]]
    assert fork.parent_session_id == sid and fork.fork_point_id == before[1].id
    assert fork.totals.messages == 2
    assert len(list(engine.store.family_message_ids(fork.root_id))) == messages_before
    engine.append(fork.id, "user", "a different question")
    assert engine.transcript(sid) == before
    assert len(engine.transcript(fork.id)) == 3


def test_fork_at_a_message_outside_the_branch_fails(engine: Engine) -> None:
    sid = _chat(engine)
    other = _chat(engine)
    foreign = engine.transcript(other)[0].id
    with pytest.raises(NotFoundError):
        engine.fork(sid, at=foreign)


def test_revert_keeps_old_tail_as_sibling_branch(engine: Engine) -> None:
    sid = _chat(engine)
    full = engine.transcript(sid)
    moved, kept = engine.revert(sid, full[1].id)
    assert kept is not None
    assert [m.id for m in engine.transcript(sid)] == [m.id for m in full[:2]]
    assert [m.id for m in engine.transcript(kept.id)] == [m.id for m in full]
    assert kept.parent_session_id == sid and kept.fork_point_id == full[1].id
    assert moved.totals.messages == 2
    assert engine.revert(sid, full[1].id)[1] is None


def test_edit_and_resend_makes_a_sibling_user_message(engine: Engine) -> None:
    sid = _chat(engine)
    full = engine.transcript(sid)
    kept = engine.prepare_edit(sid, full[2].id)
    reply = asyncio.run(engine.send(sid, "question 1, rephrased"))
    now = engine.transcript(sid)
    assert now[2].parent_id == full[2].parent_id and now[2].id != full[2].id
    assert now[2].text == "question 1, rephrased" and now[3].id == reply.id
    assert [m.id for m in engine.transcript(kept.id)] == [m.id for m in full]
    with pytest.raises(InvalidInputError):
        engine.prepare_edit(sid, now[1].id)


def test_delete_prunes_only_unreachable_messages(engine: Engine) -> None:
    sid = _chat(engine)
    full = engine.transcript(sid)
    fork = engine.fork(sid, at=full[1].id)
    engine.append(fork.id, "user", "fork only")
    grandchild = engine.fork(fork.id)
    engine.delete(fork.id)
    root = engine.session(sid).root_id
    ids = set(engine.store.family_message_ids(root))
    assert {m.id for m in full} <= ids
    assert len(engine.transcript(grandchild.id)) == 3  # still reachable through its own head
    assert engine.session(grandchild.id).parent_session_id == sid
    engine.delete(grandchild.id)
    assert set(engine.store.family_message_ids(root)) == {m.id for m in full}
    with pytest.raises(NotFoundError):
        engine.session(fork.id)


def test_rename_archive_and_listing(engine: Engine) -> None:
    a, b = _chat(engine), _chat(engine)
    engine.rename(a, "  Billing\x1b[31m refactor\n ")
    assert engine.session(a).title == "Billing [31m refactor"
    engine.archive(b)
    assert [s.id for s in engine.sessions()] == [a]
    assert {s.id for s in engine.sessions(include_archived=True)} == {a, b}
    engine.archive(b, archived=False)
    assert len(engine.sessions()) == 2
    with pytest.raises(InvalidInputError):
        engine.rename(a, " \n ")


def test_session_rows_list_what_sessions_lists_and_follow_writes(engine: Engine) -> None:
    a, b, c = _chat(engine), _chat(engine), _chat(engine)
    engine.fork(a)
    engine.archive(b)

    def same() -> None:
        for archived in (False, True):
            rows = engine.session_rows(include_archived=archived)
            sessions = engine.sessions(include_archived=archived)
            assert [r.id for r in rows] == [s.id for s in sessions]
            assert [(r.root_id, r.parent_session_id, r.updated, r.archived) for r in rows] == [
                (s.root_id, s.parent_session_id, s.updated, s.archived) for s in sessions
            ]

    same()
    assert b not in [r.id for r in engine.session_rows()]
    engine.append(c, "user", "one more")  # updated: c moves to the top
    same()
    assert engine.session_rows()[0].id == c
    engine.delete(c)
    same()


def test_session_prefix_resolution(engine: Engine) -> None:
    sessions = [engine.new_session() for _ in range(40)]
    target = sessions[0]
    assert engine.session(target.id[:10]).id == target.id
    first_chars = {s.id[0] for s in sessions}
    crowded = next(c for c in first_chars if sum(s.id[0] == c for s in sessions) > 1)
    with pytest.raises(AmbiguousIdError):
        engine.session(crowded)
    with pytest.raises(NotFoundError):
        engine.session("zz-not-there")
    with pytest.raises(NotFoundError):
        engine.session("../../etc/passwd")


async def test_stream_delivers_every_pane_and_persists(engine: Engine) -> None:
    sid = engine.new_session().id
    kinds = set()
    final = None
    async for event in engine.stream(sid, "hello world"):
        if isinstance(event, ReplyUpdated):
            kinds.add(type(event.event))
        if isinstance(event, TurnFinished):
            final = event.reply
    assert {TextDelta, ThinkingDelta, ToolCall} <= kinds
    assert final is not None and final.status is MessageStatus.COMPLETE
    stored = engine.transcript(sid)
    assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT]
    assert stored[1] == final
    assert "Offline echo provider" in final.text and "hello world" in final.text
    assert final.usage.output_tokens and final.totals.messages == 2
    assert engine.session(sid).status is SessionStatus.IDLE


async def test_cancel_keeps_partial_reply_interrupted(engine: Engine) -> None:
    slow = Engine(engine.store, providers=lambda name: EchoProvider(delay=0.001))
    sid = slow.new_session().id
    seen = 0

    async def consume() -> None:
        nonlocal seen
        async with aclosing(slow.stream(sid, "tell me a long story")) as events:
            async for event in events:
                if isinstance(event, ReplyUpdated) and isinstance(event.event, TextDelta):
                    seen += 1
                    if seen == 3:
                        await asyncio.Event().wait()  # block until cancelled

    task = asyncio.create_task(consume())
    while seen < 3:
        await asyncio.sleep(0.001)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    reply = engine.transcript(sid)[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text.startswith("*Offline echo provider*")
    assert engine.session(sid).status is SessionStatus.INTERRUPTED  # kept until the next turn (#19)


def test_orphaned_streaming_reply_reads_as_interrupted(engine: Engine) -> None:
    sid = engine.new_session().id
    engine.append(sid, "user", "hi")
    session = engine.session(sid)
    msg = engine.writer.child(
        session, Role.ASSISTANT, (), None, engine_usage(), status=MessageStatus.STREAMING
    )
    msg = msg.with_changes(writer_pid=2**22 + 12345)  # no such process
    with engine.store.transaction():
        engine.store.put_messages(session.root_id, [msg])
        engine.writer.move_head(session, msg, status=SessionStatus.BUSY)
    reply = engine.transcript(sid)[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert engine.session(sid).status is SessionStatus.INTERRUPTED  # kept until the next turn (#19)


def engine_usage():  # small helper keeps the test above readable
    from tui.engine.sessions.model import Usage

    return Usage()


@pytest.mark.parametrize("prompt", ["", "   \n\t"])
async def test_empty_prompt_is_refused(engine: Engine, prompt: str) -> None:
    sid = engine.new_session().id
    with pytest.raises(InvalidInputError, match="empty"):
        async for _ in engine.stream(sid, prompt):
            pass
    assert engine.transcript(sid) == []


async def test_huge_prompt_is_refused_with_its_size(engine: Engine) -> None:
    sid = engine.new_session().id
    with pytest.raises(InvalidInputError, match="limit"):
        await engine.send(sid, "x" * 1_000_001)


def test_a_tool_result_is_saved_on_the_reply_that_called_it(engine: Engine) -> None:
    from tui.engine.sessions.model import ToolResultPart, ToolUsePart

    sid = engine.new_session().id
    engine.append(sid, "user", "what is here?")
    reply = engine.append(sid, "assistant", "Let me look.")
    call = reply.with_changes(parts=(*reply.parts, ToolUsePart("t1", "list_dir", {})))
    engine.store.put_messages(engine.session(sid).root_id, [call])
    engine.record_tool_result(sid, reply.id, ToolResultPart("t1", "README.md"))
    stored = engine.stored(sid, reply.id)
    assert [p.kind for p in stored.parts] == ["text", "tool_use", "tool_result"]
    assert engine.transcript(sid)[-1] == stored and not stored.pending_calls()
    with pytest.raises(NotFoundError):
        engine.stored(sid, "0" * 32)


async def test_an_interrupted_or_failed_turn_stays_marked_until_the_next(engine: Engine) -> None:
    from tui.engine.sessions.events import Failed

    class Failing:
        name = "failing"
        default_model = "f-1"
        capabilities = EchoProvider.capabilities

        async def stream(self, request):  # type: ignore[no-untyped-def]
            yield Failed("the server said no")

    failing = Engine(engine.store, providers=lambda name: Failing())
    sid = failing.new_session().id
    await failing.send(sid, "hi")
    assert Engine.open(engine.store.home).session(sid).status is SessionStatus.ERROR
    ok = Engine(engine.store, providers=lambda name: EchoProvider(delay=0))
    await ok.send(sid, "again")
    assert ok.session(sid).status is SessionStatus.IDLE
