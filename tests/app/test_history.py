"""The settled-messages view: a bounded cache of rendered lines, the mouse, themes."""

from __future__ import annotations

from textual.strip import Strip

from tui.app.app import ForktreeApp
from tui.app.widgets.history import BlockCache, History
from tui.app.widgets.side_pane import SidePane
from tui.engine import Engine

from .conftest import main_screen, opened, titled, visible_text


def _key(name: str) -> tuple[str, str, str, str, int, str]:
    return (name, "complete", "you ›", name, 40, "forktree-dark")


def _session(engine: Engine, count: int, text: str) -> str:
    """A session of `count` messages, turn about, each `text` with its number."""
    sid = engine.new_session(title="long").id
    for i in range(count):
        engine.append(sid, "user" if i % 2 == 0 else "assistant", text.format(i))
    return sid


def _count_renders(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The Markdown of each message the transcript renders from now on."""
    from tui.app.widgets import history as history_module

    rendered: list[str] = []
    markdown = history_module.rich_markdown

    def counted(text: str, dark: bool):  # type: ignore[no-untyped-def]
        rendered.append(text)
        return markdown(text, dark)

    monkeypatch.setattr(history_module, "rich_markdown", counted)
    return rendered


def test_block_cache_drops_the_least_recently_used_past_its_line_budget() -> None:
    cache = BlockCache(max_lines=10)
    cache.put(_key("a"), [Strip.blank(40)] * 4)
    cache.put(_key("b"), [Strip.blank(40)] * 4)
    assert cache.get(_key("a")) is not None  # a is now the most recently used
    cache.put(_key("c"), [Strip.blank(40)] * 4)
    assert cache.get(_key("b")) is None and cache.get(_key("a")) is not None
    assert cache.lines == 8
    cache.put(_key("a"), [Strip.blank(40)] * 2)  # a new render replaces the old one
    assert cache.lines == 6


async def test_clicking_a_message_focuses_it_and_the_side_pane_follows(
    demo_engine: Engine,
) -> None:
    async with opened(demo_engine, titled(demo_engine, "Refactor"), (120, 40)) as (pilot, screen):
        history = screen.transcript.history
        line = history.region_of(1).y + 1  # the first line of the tool-calling reply
        y = line - round(screen.transcript.scroll_y) + history.virtual_region.y
        assert await pilot.click(History, offset=(5, y))
        await pilot.pause()
        focused = screen.transcript.focused_message()
        assert focused is not None and focused.id == history.messages[1].id
        side = screen.query_one(SidePane)
        assert "read_file" in str(side.query(".tool").first().title)


async def test_a_new_theme_redraws_the_messages_in_its_colours(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        history = main_screen(app).transcript.history
        role_row = history.region_of(0).y  # "you ›"
        dark = history.render_line(role_row)
        app.theme = "forktree-light"
        await pilot.pause()
        light = history.render_line(role_row)
        assert dark.text == light.text and "you" in light.text

        def role_colour(line: Strip) -> object:
            return next(s.style.color for s in line if "you" in s.text and s.style)

        assert role_colour(dark) != role_colour(light)  # the role line rendered again
        assert "Lisbon" in visible_text(app)


async def test_footer_follows_the_focus_and_redraws_only_when_its_keys_change(
    demo_engine: Engine,
) -> None:
    from tui.app.widgets.keys_footer import KeysFooter

    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        footer = screen.query_one(KeysFooter)

        def line() -> str:
            return footer.render().plain

        assert "Fork here" not in line() and "^k Switch" in line()  # the prompt's keys
        screen.transcript.focus_message(1)
        await pilot.pause()
        assert "Fork here" in line()
        redraws = 0
        refresh = footer.refresh

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal redraws
            redraws += 1
            return refresh(*args, **kwargs)

        footer.refresh = counted  # type: ignore[method-assign]
        await pilot.press("up")  # the cursor moves, the focus stays: the same keys
        await pilot.pause()
        assert redraws == 0
        screen.prompt.focus()
        await pilot.pause()
        assert redraws == 1 and "Fork here" not in line()


async def test_clicking_a_key_in_the_footer_presses_it(demo_engine: Engine) -> None:
    from tui.app.screens.switcher import SwitcherScreen
    from tui.app.widgets.keys_footer import KeysFooter

    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        footer = main_screen(app).query_one(KeysFooter)
        column = footer.render().plain.index("^k Switch") + 1
        await pilot.click(KeysFooter, offset=(column, 0))
        await pilot.pause()
        assert isinstance(app.screen, SwitcherScreen)


async def test_the_side_pane_shows_a_tool_result_saved_after_the_reply_settled(
    engine: Engine,
) -> None:
    from tui.engine.sessions.model import ToolResultPart, ToolUsePart

    sid = engine.new_session(title="tools").id
    engine.append(sid, "user", "what is here?")
    reply = engine.append(sid, "assistant", "Let me look.")
    call = reply.with_changes(parts=(*reply.parts, ToolUsePart("t1", "list_dir", {"path": "."})))
    engine.store.put_messages(engine.session(sid).root_id, [call])
    app = ForktreeApp(engine)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.current == sid
        # the tool loop saves the result on the reply after the transcript showed it
        engine.record_tool_result(sid, reply.id, ToolResultPart("t1", "README.md\nsrc/"))
        screen.transcript.focus_message(0)
        await pilot.pause()
        screen.transcript.focus_message(1)
        await pilot.pause()
        results = screen.side.query(".tool-result")
        assert results and "README.md" in results.first().content.code  # type: ignore[union-attr]


async def test_new_messages_and_focus_changes_render_nothing_else_even_past_the_cache(
    engine: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from tui.app.widgets import history as history_module

    sid = _session(engine, 20, "message {}")
    monkeypatch.setattr(history_module, "BLOCKS", BlockCache(max_lines=5))  # holds ~1
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert len(screen.transcript.shown()) == 20
        rendered = _count_renders(monkeypatch)
        await screen.transcript.add(engine.append(sid, "user", "one more"))
        await pilot.pause()
        assert rendered == ["one more"]  # the other 20 kept their lines
        screen.transcript.focus_message(3)  # styles are applied again on focus changes
        await pilot.pause()
        screen.prompt.focus()
        await pilot.pause()
        assert rendered == ["one more"]  # ... and the lines stay as they are
        assert "one more" in visible_text(app) and "message 0" in visible_text(app)


async def test_messages_above_render_in_the_background_before_the_reader_pages_to_them(
    engine: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from tui.app.widgets import history as history_module

    sid = _session(engine, 150, "message {}\n\n" + "a line of the reply\n\n" * 3)
    monkeypatch.setattr(history_module, "BLOCKS", BlockCache())
    async with opened(engine, sid, (100, 30)) as (pilot, screen):
        transcript = screen.transcript
        await screen.app.workers.wait_for_complete()
        rendered = _count_renders(monkeypatch)
        transcript.focus()
        before = transcript.shown_from
        while transcript.shown_from == before:
            await pilot.press("pageup")
        loaded = transcript.messages[transcript.shown_from : before]
        assert loaded and not {m.text for m in loaded} & set(rendered)  # drawn from cache
        assert "message 0" not in visible_text(screen.app)  # still far from the top
        await screen.app.workers.wait_for_complete()  # ... and the next part renders now
        above = transcript.messages[max(0, transcript.shown_from - 30) : transcript.shown_from]
        assert above and {m.text for m in above} <= set(rendered)


async def _page_up_past_a_load(pilot, transcript) -> int:  # type: ignore[no-untyped-def]
    """Focus the transcript and page up until earlier messages load (a full layout);
    the first shown message's index before they did."""
    transcript.focus()
    before = transcript.shown_from
    while transcript.shown_from == before:
        await pilot.press("pageup")
    await pilot.pause()
    return int(before)


async def _page_up_scrolling_only(pilot, transcript, before: int) -> None:  # type: ignore[no-untyped-def]
    """One more page up, a scroll only: the view moved up over what is loaded."""
    top = transcript.scroll_y
    await pilot.press("pageup")
    await pilot.pause()
    assert transcript.scroll_y < top and transcript.shown_from < before


async def test_a_page_up_after_a_layout_repaints_the_transcript_not_the_screen(
    engine: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from textual._compositor import Compositor

    sid = _session(engine, 150, "message {}\n\nmore\n")
    async with opened(engine, sid, (100, 30)) as (pilot, screen):
        transcript = screen.transcript
        before = await _page_up_past_a_load(pilot, transcript)
        full: list[object] = []
        render_full = Compositor.render_full_update

        def counted(compositor: Compositor, *args, **kwargs):  # type: ignore[no-untyped-def]
            full.append(compositor)
            return render_full(compositor, *args, **kwargs)

        monkeypatch.setattr(Compositor, "render_full_update", counted)
        await _page_up_scrolling_only(pilot, transcript, before)
        assert full == []  # what moved was repainted, not every widget on the screen


async def test_a_page_up_renders_the_transcript_not_the_panes_beside_it(
    engine: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from textual.widget import Widget

    from tui.app.widgets.session_tree import SessionTree
    from tui.app.widgets.side_pane import SidePane

    sid = _session(engine, 150, "message {}\n\nmore\n")
    async with opened(engine, sid, (120, 30)) as (pilot, screen):
        transcript = screen.transcript
        before = await _page_up_past_a_load(pilot, transcript)
        drawn: list[str] = []
        render_lines = Widget.render_lines

        def counted(widget: Widget, crop):  # type: ignore[no-untyped-def]
            drawn.append(type(widget).__name__)
            return render_lines(widget, crop)

        monkeypatch.setattr(Widget, "render_lines", counted)
        await _page_up_scrolling_only(pilot, transcript, before)
        assert "History" in drawn  # the new page was drawn ...
        assert not {SessionTree.__name__, SidePane.__name__} & set(drawn)  # ... alone


def test_markdown_with_the_shared_parser_renders_as_rich_does() -> None:
    import io

    from rich.console import Console
    from rich.markdown import Markdown

    from tui.app.widgets.message_text import rich_markdown

    text = (
        "# Plan\n\nSome *text*, `code` and ~~gone~~.\n\n```python\nprint(1)\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n"
    )
    ours, theirs = rich_markdown(text, dark=True), Markdown(text, code_theme="monokai")
    assert vars(ours).keys() == vars(theirs).keys()  # a Rich upgrade that adds one shows here

    def drawn(markdown: Markdown) -> list[object]:
        console = Console(width=60, file=io.StringIO(), color_system="truecolor")
        return list(console.render(markdown))

    assert drawn(ours) == drawn(theirs)


async def test_dragging_the_mouse_selects_message_text_without_borders(
    demo_engine: Engine,
) -> None:
    from textual.geometry import Offset

    async with opened(demo_engine, titled(demo_engine, "Plan three days"), (120, 40)) as (
        pilot,
        screen,
    ):
        first = screen.transcript.history.region_of(0).y + 1  # the prompt, under "you ›"
        await pilot.mouse_down(History, offset=Offset(2, first))  # after the border
        await pilot.hover(History, offset=Offset(14, first + 3))
        await pilot.mouse_up(History, offset=Offset(14, first + 3))
        await pilot.pause()
        selected = screen.get_selected_text()
        assert selected is not None and selected.startswith("Plan three days in Lisbon")
        assert "assistant · demo-small ›" in selected and "▌" not in selected
