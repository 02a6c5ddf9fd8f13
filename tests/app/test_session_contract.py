"""Pilot tests of the session contract in the app: options on new / fork / later, and
the metrics view."""

from __future__ import annotations

from textual.widgets import Input

from tui.app.app import ForktreeApp
from tui.app.screens.metrics import MetricsScreen
from tui.app.screens.session_options import SessionOptionsScreen
from tui.engine import Engine
from tui.engine.sessions.options import SessionOptions

from .conftest import main_screen, screen_text, settle


async def _fill(app: ForktreeApp, **values: str) -> None:
    for field, value in values.items():
        app.screen.query_one(f"#{field}", Input).value = value


async def test_new_session_dialog_sets_title_prompt_and_limits(engine: Engine) -> None:
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, SessionOptionsScreen)
        await _fill(app, **{"max-turns": "x"})
        await pilot.press("enter")  # refused, said in the dialog, nothing made
        await pilot.pause()
        assert isinstance(app.screen, SessionOptionsScreen)
        assert "max turns: 'x' is not a whole number" in screen_text(app)
        fields = {"max-turns": "4", "max-budget": "$0.25", "allowed": "read_file"}
        await _fill(app, title="Refactor plan", system="answer in French", **fields)
        await pilot.press("enter")
        await pilot.pause()
        made = engine.session(main_screen(app).current or "")
        assert made.title == "Refactor plan" and made.system_prompt == "answer in French"
        assert made.options == SessionOptions(4, 0.25, None, ("read_file",))


async def test_fork_with_options_and_change_them_later(engine: Engine) -> None:
    app = ForktreeApp(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        parent = screen.current or ""
        await pilot.press(*"hello", "enter")
        await settle(pilot)
        screen.action_fork_with_options()
        await pilot.pause()
        assert app.screen.query_one("#title", Input).value.endswith("(fork)")
        await _fill(app, system="be terse", **{"max-turns": "2"})
        await pilot.press("enter")
        await pilot.pause()
        fork = engine.session(screen.current or "")
        assert fork.parent_session_id == parent and fork.system_prompt == "be terse"
        assert fork.options.max_turns == 2 and fork.head_id == engine.session(parent).head_id
        assert "max 2 turns" in str(screen.query_one("#header").render())  # visible while it runs
        await pilot.press("f7")
        await pilot.pause()
        await _fill(app, **{"max-turns": "", "max-budget": "1.5"})
        await pilot.press("enter")
        await pilot.pause()
        changed = engine.session(fork.id)
        assert changed.options.max_turns is None and changed.options.max_budget_usd == 1.5
        assert changed.system_prompt == "be terse"
        assert "budget $1.50" in screen_text(app)  # the notice says what applies now


async def test_metrics_view_counts_session_branch_and_family(demo_engine: Engine) -> None:
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        await pilot.press(*"count these words", "enter")
        await settle(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, MetricsScreen)
        shown = screen_text(app)
        for label in ("this session", "since its fork", "its family", "tool calls",
                      "⚙ count_words", "cost"):  # fmt: skip
            assert label in shown, label
        stats = app.screen.stats
        assert stats["session_id"] == screen.current
        assert stats["session"]["per_tool"]["count_words"] >= 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MetricsScreen)
