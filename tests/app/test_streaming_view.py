"""A long reply streams into a bounded number of widgets, then joins the settled
messages; earlier messages load as the reader nears the top."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown

from tui.app.app import ForktreeApp
from tui.app.widgets.message_view import SETTLE_BLOCKS, MessageView, settle_point
from tui.app.widgets.transcript import CHUNK, WINDOW
from tui.engine import Engine

from .conftest import main_screen, opened, settle, slow_engine, visible_text, wait_for


def test_settle_point_cuts_after_finished_paragraphs_outside_code() -> None:
    paragraphs = "".join(f"para {i}\n\n" for i in range(3))
    assert settle_point(paragraphs, 3) == len(paragraphs)
    assert settle_point(paragraphs, 4) is None
    fenced = "intro\n\n```\ncode\n\nmore code\n```\n\nafter\n\nlast line stil"
    assert fenced[: settle_point(fenced, 2)].endswith("after\n\n")
    open_fence = "intro\n\n```\ncode\n\nmore\n\nstill code\n"
    assert settle_point(open_fence, 1) == len("intro\n\n")  # not inside the open fence
    assert settle_point(open_fence, 2) is None
    assert settle_point("one\n\ntwo\n\n", 2) == len("one\n\ntwo\n\n")


async def test_a_long_reply_keeps_few_live_blocks_then_settles(isolated_env: Path) -> None:
    engine = slow_engine(isolated_env, delay=0.0005)
    app = ForktreeApp(engine)
    prompt = "\n\n".join(f"paragraph number {i} of the long prompt" for i in range(60))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        screen.prompt.post_message(screen.prompt.Submitted(prompt))
        await wait_for(lambda: screen.live is not None)
        live = screen.live
        assert live is not None
        most = 0
        while screen.is_streaming(screen.current):
            blocks = len(live.query_one(Markdown).children) if live.query(Markdown) else 0
            most = max(most, blocks)
            await pilot.pause(0.01)
        await settle(pilot)
        assert 0 < most <= SETTLE_BLOCKS + 4  # 60+ paragraphs streamed, few live at once
        assert not app.screen.query(MessageView)  # it joined the settled messages
        stored = engine.transcript(screen.current or "")[-1]
        assert screen.transcript.shown()[-1] == stored and "paragraph number 59" in stored.text
        assert "paragraph number 59 of the long prompt" in visible_text(app)


def _chat(engine: Engine, texts: list[str]) -> tuple[str, list[str]]:
    """A session of `texts`, the user's and the assistant's in turn; its message ids."""
    sid = engine.new_session(title=texts[0][:20]).id
    roles = ("user", "assistant")
    return sid, [engine.append(sid, roles[i % 2], text).id for i, text in enumerate(texts)]


async def test_switching_while_earlier_messages_load_is_safe(engine: Engine) -> None:

    count = WINDOW + CHUNK + 10
    long = _chat(engine, [f"message number {i}" for i in range(count)])[0]
    short = _chat(engine, ["just one"])[0]
    async with opened(engine, long) as (pilot, screen):
        app = screen.app
        transcript = screen.transcript
        assert len(transcript.shown()) == WINDOW
        assert f"{count - WINDOW} earlier messages" in visible_text(app)
        transcript.scroll_home(animate=False)  # the top: earlier messages start loading
        await screen.open_session(short)  # ... and the window is replaced meanwhile
        await pilot.pause()
        assert [m.text for m in transcript.shown()] == ["just one"]
        await screen.open_session(long)
        await pilot.pause()
        history = transcript.history

        def line_at(y: int) -> tuple[str, int]:
            """The message drawn at transcript line `y`, and which of its lines it is."""
            y -= history.virtual_region.y
            index = history.index_at(y)
            assert index is not None
            return history.messages[index].id, y - history.region_of(index).y

        target = history.virtual_region.y + 6
        before = line_at(target)
        transcript.scroll_to(y=target, animate=False)  # near the top: more load above
        await pilot.pause()
        texts = [m.text for m in transcript.shown()]
        assert texts == [f"message number {i}" for i in range(count - WINDOW - CHUNK, count)]
        assert line_at(round(transcript.scroll_y)) == before  # the view stayed in place
        transcript.scroll_home(animate=False)
        await pilot.pause()
        assert len(transcript.shown()) == count and "earlier messages" not in visible_text(app)


async def test_keys_move_between_messages_and_reveal_finds_an_unloaded_one(engine: Engine) -> None:

    sid, ids = _chat(engine, [f"message number {i}" for i in range(WINDOW + 20)])
    async with opened(engine, sid) as (pilot, screen):
        await pilot.press("up", "up", "up")  # from the empty prompt: the last, then up two
        assert screen.transcript.focused_message().text == f"message number {WINDOW + 17}"
        await pilot.press("down")
        assert screen.transcript.focused_message().text == f"message number {WINDOW + 18}"
        await screen.transcript.reveal(ids[3])  # a search hit far above the loaded part
        await pilot.pause()
        assert screen.transcript.focused_message().id == ids[3]
        history = screen.transcript.history
        top = history.region_of(history.cursor).y + history.virtual_region.y
        assert screen.transcript.scroll_y <= top < screen.transcript.scroll_y + 30


async def test_a_session_of_long_messages_opens_on_its_last_few(engine: Engine) -> None:

    long = "\n\n".join(f"paragraph {j} of a long answer" for j in range(10))
    sid = _chat(engine, [f"answer {i}\n\n{long}" for i in range(WINDOW + 10)])[0]
    async with opened(engine, sid) as (_, screen):
        transcript = screen.transcript
        shown = transcript.shown()
        assert 2 <= len(shown) < 10  # a few screens of text, not WINDOW messages
        assert shown[-1].text.startswith(f"answer {WINDOW + 9}")
        assert transcript.history.line_count() > transcript.size.height  # the view is full


async def test_a_jump_far_up_loads_only_around_the_message(engine: Engine) -> None:
    sid, ids = _chat(engine, [f"message number {i}" for i in range(300)])
    async with opened(engine, sid) as (pilot, screen):
        transcript = screen.transcript
        assert await transcript.reveal(ids[5])
        await pilot.pause()
        shown = transcript.shown()
        assert shown[-1].id == ids[3 + WINDOW - 1] and len(shown) <= WINDOW + 3  # not 295
        assert transcript.focused_message().id == ids[5]  # type: ignore[union-attr]
        text = visible_text(screen.app)  # type: ignore[arg-type]
        assert f"{300 - 3 - WINDOW} later messages" in text
        transcript.scroll_end(animate=False)  # reading on down loads what follows
        await pilot.pause()
        assert transcript.shown()[-1].id == ids[3 + WINDOW + CHUNK - 1]
        screen.prompt.post_message(screen.prompt.Submitted("and now?"))  # a new turn ...
        await settle(pilot)
        stored = engine.transcript(sid)
        shown = transcript.shown()  # ... shows the end of the branch again, in one piece
        assert [m.id for m in shown[-4:]] == [m.id for m in stored[-4:]]
        assert "later messages" not in visible_text(screen.app)  # type: ignore[arg-type]
        assert await transcript.reveal(ids[100])
        await pilot.press("end")  # End: back to the latest messages
        await pilot.pause()
        assert transcript.shown()[-1].id == stored[-1].id
        assert "later messages" not in visible_text(screen.app)  # type: ignore[arg-type]
