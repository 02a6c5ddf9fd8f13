"""Pilot tests: every action, asserting what the user sees and what the store holds."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from textual.widgets import Input

from tui.app.app import ForktreeApp
from tui.app.screens.dialogs import ConfirmScreen, TextPromptScreen
from tui.app.screens.switcher import SwitcherScreen
from tui.app.widgets.prompt import PromptArea
from tui.app.widgets.side_pane import SidePane
from tui.engine import Engine, MessageStatus, Role

from .conftest import main_screen, settle, slow_engine, visible_text, wait_for


async def test_first_run_opens_a_welcome_session(engine: Engine) -> None:
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        (session,) = engine.sessions()
        assert session.title == "Welcome to forktree"
        assert main_screen(app).current == session.id
        assert "echo" in visible_text(app) and "ctrl+k" in visible_text(app)


async def test_send_streams_reply_into_transcript_and_store(engine: Engine) -> None:
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sid = main_screen(app).current
        await pilot.press(*"what is a fork?", "enter")
        await settle(pilot)
        stored = engine.transcript(sid)
        assert [m.role for m in stored[-2:]] == [Role.USER, Role.ASSISTANT]
        assert stored[-1].status is MessageStatus.COMPLETE
        transcript = main_screen(app).transcript
        assert transcript.live is None and transcript.shown()[-1] == stored[-1]
        assert "> what is a fork?" in stored[-1].text
        assert "what is a fork?" in visible_text(app)
        side = app.screen.query_one(SidePane)
        assert side.query(".tool") and "count_words" in str(side.query(".tool").first().title)
        assert main_screen(app).prompt.text == ""
        # the turn's result: one quiet line under the reply, and at the foot of the side pane
        record = stored[-1].result
        assert record is not None and record.subtype == "success" and record.tool_calls == 1
        assert "✓ done · 1 request · 1 tool call" in visible_text(app)
        assert "✓ done" in str(side.query_one(".turn-result").render())


async def test_prompt_newline_key_and_empty_enter(engine: Engine) -> None:
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sid = main_screen(app).current
        before = len(engine.transcript(sid))
        await pilot.press("enter")  # empty: nothing sent
        await pilot.press(*"line one", "ctrl+j", *"line two")
        assert main_screen(app).prompt.text == "line one\nline two"
        await pilot.press("enter")
        await settle(pilot)
        assert engine.transcript(sid)[before].text == "line one\nline two"


async def test_sending_while_streaming_queues_in_order(isolated_env: Path) -> None:
    engine = slow_engine(isolated_env, delay=0.02)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sid = main_screen(app).current
        # pilot.press waits for the screen to go idle, which a stream never does: post
        # the prompts the way the prompt widget does instead.
        screen = main_screen(app)
        screen.prompt.post_message(PromptArea.Submitted("first"))
        await wait_for(lambda: screen.live is not None)
        screen.prompt.post_message(PromptArea.Submitted("second"))
        await wait_for(lambda: bool(app.screen.query(".queued")))
        queued = app.screen.query(".queued")
        assert len(queued) == 1 and "second" in str(queued.first().render())
        await settle(pilot)
        texts = [(m.role, m.text) for m in engine.transcript(sid)[1:]]
        assert [t for r, t in texts if r is Role.USER] == ["first", "second"]
        assert all(m.status is MessageStatus.COMPLETE for m in engine.transcript(sid))
        assert not app.screen.query(".queued")


async def test_escape_aborts_and_keeps_partial_reply(isolated_env: Path) -> None:
    engine = slow_engine(isolated_env, delay=0.02)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sid = main_screen(app).current
        screen = main_screen(app)
        screen.prompt.post_message(PromptArea.Submitted("a long story please"))
        await wait_for(lambda: screen.live is not None and screen.side.query(".tool"))
        await pilot.press("escape")
        await settle(pilot)
        reply = engine.transcript(sid)[-1]
        assert reply.status is MessageStatus.INTERRUPTED
        assert reply.thinking  # what had streamed is kept
        assert screen.transcript.live is None and screen.transcript.shown()[-1] == reply
        shown = visible_text(app)  # the role line wraps in this narrow transcript
        assert "assistant · echo-1  [interrupted, 1 tool call," in shown
        assert "interrupted: the reply was stopped" in shown
        assert engine.session(sid).status.value == "interrupted"  # until the next turn (#19)


async def test_escape_puts_queued_prompts_back_in_the_prompt_box(isolated_env: Path) -> None:
    engine = slow_engine(isolated_env, delay=0.02)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        sid = screen.current or ""
        screen.prompt.post_message(PromptArea.Submitted("first"))
        await wait_for(lambda: screen.live is not None)
        screen.prompt.post_message(PromptArea.Submitted("second"))
        screen.prompt.post_message(PromptArea.Submitted("third"))
        await wait_for(lambda: len(app.screen.query(".queued")) == 2)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.prompt.text == "second\n\nthird"  # nothing typed is lost
        assert [m.text for m in engine.transcript(sid) if m.role is Role.USER][-1] == "first"
        assert not app.screen.query(".queued")


async def test_switcher_jumps_by_title(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+k")
        assert isinstance(app.screen, SwitcherScreen)
        await pilot.press(*"lisbon", "enter")
        await pilot.pause()
        target = next(s for s in demo_engine.sessions() if "Lisbon" in s.title)
        assert main_screen(app).current == target.id
        assert "Sintra" in visible_text(app)


async def test_next_and_previous_session(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        order = screen.session_tree.ordered_ids()
        first = screen.current
        await pilot.press("alt+down")
        await pilot.pause()
        assert screen.current == order[(order.index(first) + 1) % len(order)]
        await pilot.press("alt+up")
        await pilot.pause()
        assert screen.current == first


async def _focus_message(pilot, index_from_end: int) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("up")  # empty prompt: focus the last message
    for _ in range(index_from_end):
        await pilot.press("up")
    await pilot.pause()


async def test_fork_at_focused_message(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        parent = screen.current
        await _focus_message(pilot, 1)
        focused = screen.transcript.focused_message()
        assert focused is not None
        await pilot.press("f")
        await pilot.pause()
        fork = demo_engine.session(screen.current)
        assert fork.parent_session_id == parent and fork.fork_point_id == focused.id
        assert demo_engine.transcript(fork.id)[-1].id == focused.id
        assert len(screen.transcript.shown()) == focused.depth + 1
        assert fork.id in screen.session_tree.ordered_ids()


async def test_edit_and_resend_makes_a_sibling_branch(engine: Engine) -> None:
    sid = engine.new_session().id
    engine.append(sid, "user", "original question")
    engine.append(sid, "assistant", "original answer")
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert main_screen(app).current == sid
        prompt = main_screen(app).prompt
        prompt.load_text("a draft")
        main_screen(app).transcript.focus_message(0)  # the prompt holds text: no ↑ to it
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert prompt.text == "original question" and prompt.has_focus
        assert prompt.cursor_location == prompt.document.end  # ready to type on
        await pilot.press("escape")  # cancels: nothing changed, the draft is back
        await pilot.pause()
        assert prompt.text == "a draft" and len(engine.sessions()) == 1
        assert engine.transcript(sid)[0].text == "original question"
        main_screen(app).transcript.focus_message(0)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert len(engine.sessions()) == 1  # no branch until it is sent
        prompt.clear()
        await pilot.press(*"better question", "enter")
        await settle(pilot)
        now = engine.transcript(sid)
        assert now[0].text == "better question" and now[0].parent_id is None
        kept = next(s for s in engine.sessions() if "before edit" in s.title)
        assert [m.text for m in engine.transcript(kept.id)] == [
            "original question",
            "original answer",
        ]
        assert prompt.text == "a draft"  # the draft waits in the box again


async def test_revert_keeps_old_tail(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        sid = next(s.id for s in demo_engine.sessions() if s.title.startswith("Refactor"))
        await screen.open_session(sid)
        full = demo_engine.transcript(sid)
        assert len(full) == 4
        await _focus_message(pilot, 2)
        await pilot.press("r")
        await pilot.pause()
        assert [m.id for m in demo_engine.transcript(sid)] == [m.id for m in full[:-2]]
        kept = next(
            s
            for s in demo_engine.sessions()
            if s.title.endswith("(before revert)") and s.parent_session_id == sid
        )
        assert demo_engine.transcript(kept.id)[-1].id == full[-1].id
        assert len(screen.transcript.shown()) == len(full) - 2


async def test_rename_archive_and_delete(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        sid = screen.current
        await pilot.press("f2")
        assert isinstance(app.screen, TextPromptScreen)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"Renamed here", "enter")
        await pilot.pause()
        assert demo_engine.session(sid).title == "Renamed here"
        assert "Renamed here" in str(screen.query_one("#header").render())

        await pilot.press("f3")
        await pilot.pause()
        assert demo_engine.session(sid).archived and sid not in [
            s.id for s in demo_engine.sessions()
        ]
        assert screen.current != sid

        victim = screen.current
        await pilot.press("f8")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert demo_engine.session(victim)
        await pilot.press("f8")
        await pilot.press("y")
        await pilot.pause()
        assert victim not in [s.id for s in demo_engine.sessions(include_archived=True)]
        assert screen.current != victim


async def test_theme_change_is_remembered(engine: Engine) -> None:
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "forktree-dark"
        await pilot.press("f9")
        await pilot.pause()
        chosen = app.theme
        assert chosen != "forktree-dark" and chosen.startswith("forktree-")
    again = ForktreeApp(engine)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == chosen


async def test_export_writes_markdown(engine: Engine, tmp_path: Path) -> None:
    sid = engine.new_session(title="exported").id
    engine.append(sid, "user", "hello export")
    app = ForktreeApp(engine)
    target = tmp_path / "out.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    data = json.loads(target.read_text())
    assert data["session"]["title"] == "exported"
    assert data["messages"][0]["parts"][0]["text"] == "hello export"


async def test_toggle_panes(engine: Engine) -> None:
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press("ctrl+b", "ctrl+t")
        assert not screen.session_tree.display and not screen.side.display
        await pilot.press("ctrl+b", "ctrl+t")
        assert screen.session_tree.display and screen.side.display


async def test_new_session_and_tree_selection(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        before = len(demo_engine.sessions())
        await pilot.press("ctrl+n")  # a dialog: Escape cancels, Enter takes the defaults
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(demo_engine.sessions()) == before
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert len(demo_engine.sessions()) == before + 1
        made = demo_engine.session(screen.current)
        assert made.totals.messages == 0 and made.origin.cwd  # started in this folder
        rust = next(s for s in demo_engine.sessions() if "Rust" in s.title)
        screen.session_tree.select_session(rust.id)
        screen.session_tree.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == rust.id


async def test_focused_message_drives_the_side_pane(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        billing = next(s for s in demo_engine.sessions() if s.title.startswith("Refactor"))
        await screen.open_session(billing.id)
        screen.transcript.focus_message(1)
        await pilot.pause()
        side = app.screen.query_one(SidePane)
        assert "read_file" in str(side.query(".tool").first().title)
        screen.transcript.focus_message(0)
        await pilot.pause()
        assert not side.query(".tool") and side.query(".empty")


async def test_two_turns_in_different_sessions_stream_at_once(isolated_env: Path) -> None:
    engine = slow_engine(isolated_env, delay=0.002)
    a, b = engine.new_session().id, engine.new_session().id
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await screen.open_session(a)
        await pilot.press(*"to a", "enter")
        await asyncio.sleep(0.02)
        await screen.open_session(b)
        await pilot.press(*"to b", "enter")  # queued behind a's turn
        await settle(pilot)
        assert engine.transcript(a)[0].text == "to a"
        assert engine.transcript(b)[0].text == "to b"
        assert engine.transcript(b)[-1].status is MessageStatus.COMPLETE


async def test_model_picker_switches_the_session_model(engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tui.app.screens.model_picker import ModelPickerScreen

    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sid = main_screen(app).current
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, ModelPickerScreen)
        await pilot.press(*"ollama/qwen2.5-coder", "enter")
        await pilot.pause()
        session = engine.session(sid)
        assert (session.provider, session.model) == ("ollama", "qwen2.5-coder")
        assert "ollama/qwen2.5-coder" in str(main_screen(app).query_one("#header").render())


async def test_model_picker_lists_the_servers_models_and_matches_exactly(
    engine: Engine,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from textual.widgets import OptionList

    from tests.fakes.server import FakeServer, Reply
    from tui.app.screens.model_picker import ModelPickerScreen

    listing = {"data": [{"id": "gpt-4o"}, {"id": "gpt-4o-mini"}, {"id": "llama3.1:8b"}]}
    with FakeServer() as server:
        server.script(Reply(chunks=[json.dumps(listing).encode()]))
        monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
        app = ForktreeApp(engine)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            sid = main_screen(app).current
            await pilot.press("ctrl+o")
            picker = app.screen
            assert isinstance(picker, ModelPickerScreen)
            await wait_for(lambda: ("openai", "llama3.1:8b") in picker.all)
            assert server.seen[0].path == "/v1/models"
            await pilot.press(*"openai/gpt-4o")
            await pilot.pause()
            first = picker.query_one(OptionList).get_option_at_index(0)
            assert first.id == "openai/gpt-4o"  # not the longer gpt-4o-mini
            await pilot.press("enter")
            await pilot.pause()
            assert engine.session(sid).model == "gpt-4o"


async def test_copy_message_and_branch(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await _focus_message(pilot, 0)
        focused = screen.transcript.focused_message()
        await pilot.press("c")
        assert focused is not None and app.clipboard == focused.text
        await screen.run_action("copy_branch")
        title = demo_engine.session(screen.current).title
        assert app.clipboard.startswith(f"# {title}")


async def test_archived_sessions_are_one_key_away(demo_engine: Engine) -> None:
    victim = demo_engine.sessions()[-1]
    demo_engine.archive(victim.id)
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert victim.id not in screen.session_tree.ordered_ids()
        screen.session_tree.focus()
        await pilot.press("A")
        assert victim.id in screen.session_tree.ordered_ids()
        await pilot.press("A")
        assert victim.id not in screen.session_tree.ordered_ids()


async def test_switcher_prefers_other_sessions_on_a_tie(engine: Engine) -> None:
    older = engine.new_session(title="notes on caching").id
    newer = engine.new_session(title="notes on caching (fork)").id
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert main_screen(app).current == newer
        await pilot.press("ctrl+k", *"notes", "enter")
        await pilot.pause()
        assert main_screen(app).current == older


async def test_a_store_too_large_to_read_at_once_lists_the_newest_then_every_session(
    engine: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from textual.widgets import Label, OptionList

    from tui.app.screens import switcher

    monkeypatch.setattr(switcher, "READ_BUDGET", -1.0)  # no file read before the frame
    monkeypatch.setattr(switcher, "SHOWN", 5)
    for i in range(30):
        engine.new_session(title=f"topic {i}")
    held = asyncio.Event()
    read_the_rest = SwitcherScreen._read_the_rest

    async def after_the_check(screen: SwitcherScreen) -> None:
        await held.wait()
        await read_the_rest(screen)

    monkeypatch.setattr(SwitcherScreen, "_read_the_rest", after_the_check)
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+k")
        screen = app.screen
        assert isinstance(screen, SwitcherScreen) and screen.reading
        listed = screen.query_one(OptionList)
        status = screen.query_one("#switcher-status", Label)
        assert listed.option_count == 5 and status.display  # the newest, and a note
        await pilot.press(*"topic 1")
        assert listed.option_count == 0  # none of the newest five (25-29) matches yet
        held.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.reading and not status.display
        titles = {
            str(listed.get_option_at_index(i).prompt).split("  ·")[0]
            for i in range(listed.option_count)
        }
        assert titles == {"topic 1", *(f"topic {i}" for i in range(10, 20)), "topic 21"}
