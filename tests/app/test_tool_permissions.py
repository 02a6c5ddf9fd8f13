"""Pilot tests of agent tools in the app: the permission prompt, and the tool pane
showing calls, live output and results."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_calls, anthropic_text
from tui.app.app import ForktreeApp
from tui.app.screens.permission import PermissionScreen
from tui.app.widgets.side_pane import SidePane
from tui.engine import Engine, Role
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.http import RetryPolicy
from tui.engine.sessions.model import Origin

from .conftest import main_screen, settle, wait_for


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as srv:
        yield srv


def agent_app(isolated_env: Path, server: FakeServer, folder: Path | str) -> ForktreeApp:
    engine = Engine.open(
        isolated_env,
        providers=lambda name: AnthropicProvider(
            "sk-test", base_url=server.url, retry=RetryPolicy(attempts=1)
        ),
    )
    engine.new_session(title="Agent work", provider="anthropic", origin=Origin(cwd=str(folder)))
    return ForktreeApp(engine)


async def ask(pilot: Pilot[None], prompt: str) -> PermissionScreen:
    await pilot.pause()
    await pilot.press(*prompt, "enter")
    await wait_for(lambda: isinstance(pilot.app.screen, PermissionScreen))
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PermissionScreen)
    return screen


def shell_script(server: FakeServer, *commands: str) -> None:
    calls = [
        Reply(chunks=anthropic_calls([(f"s{i}", "run_command", {"command": c})]))
        for i, c in enumerate(commands)
    ]
    server.script(*calls, Reply(chunks=anthropic_text(["Done."])))


async def test_allow_once_runs_the_command_and_the_pane_shows_it(
    isolated_env: Path, server: FakeServer, tmp_path: Path
) -> None:
    shell_script(server, "echo made > out.txt; echo visible")
    app = agent_app(isolated_env, server, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        main = main_screen(app)
        screen = await ask(pilot, "make a file")
        assert "run `echo made > out.txt; echo visible`" in str(
            screen.query_one("#permission-summary").render()
        )
        assert not (tmp_path / "out.txt").exists()  # nothing runs while it asks
        assert main.runtime_for(main.current or "").state.value == "waiting_tool"
        assert main.current in main.session_tree.waiting  # the tree marks it "?"
        await pilot.press("y")
        await settle(pilot)
        assert (tmp_path / "out.txt").read_text() == "made\n"
        assert not main.session_tree.waiting
        stored = main.engine.transcript(main.current or "")
        assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT, Role.ASSISTANT]
        assert stored[-1].text == "Done."
        side = app.screen.query_one(SidePane)
        (result,) = side.query(".tool-result")
        shown = result.content.code
        assert re.fullmatch(r"result · exit 0 · \d+\.\d s:\nvisible\n\n\[exit code 0\]", shown)
        assert not side.query(".tool-output")  # the live output gave way to the result


async def test_reject_with_a_reason_runs_nothing_and_tells_the_model(
    isolated_env: Path, server: FakeServer, tmp_path: Path
) -> None:
    shell_script(server, "rm -rf build")
    (tmp_path / "build").mkdir()
    app = agent_app(isolated_env, server, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await ask(pilot, "clean up")
        await pilot.press("n")
        assert app.screen.query_one("#reason", Input).has_focus
        await pilot.press(*"keep it", "enter")
        await settle(pilot)
        assert (tmp_path / "build").is_dir()
        sent = server.seen[1].body["messages"][-1]["content"][0]
        assert sent["content"] == "the user rejected this call: keep it"


async def test_escape_rejects_and_enter_alone_never_allows(
    isolated_env: Path, server: FakeServer, tmp_path: Path
) -> None:
    shell_script(server, "touch a", "touch b")
    app = agent_app(isolated_env, server, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await ask(pilot, "touch things")
        await pilot.press("escape")  # rejected at once
        await wait_for(lambda: isinstance(app.screen, PermissionScreen) or len(server.seen) > 2)
        await pilot.press("enter", "enter")  # Enter on Reject, Enter in the empty reason
        await settle(pilot)
        assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


async def test_allow_always_asks_once_per_session(
    isolated_env: Path, server: FakeServer, tmp_path: Path
) -> None:
    shell_script(server, "touch a", "touch b")
    app = agent_app(isolated_env, server, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await ask(pilot, "touch things")
        await pilot.press("a")
        await settle(pilot)
        assert (tmp_path / "a").exists() and (tmp_path / "b").exists()
        assert not isinstance(app.screen, PermissionScreen)


def test_permission_prompt_snapshot(  # type: ignore[no-untyped-def]
    snap_compare, isolated_env: Path, server: FakeServer
) -> None:
    edit = {"path": "src/app.py", "old_text": "return 1\n", "new_text": "return 2\n"}
    server.script(Reply(chunks=anthropic_calls([("e1", "edit_file", edit)], "I will fix it.")))
    app = agent_app(isolated_env, server, "/srv/project")

    async def run_before(pilot: Pilot[None]) -> None:
        main_screen(pilot.app).prompt.cursor_blink = False  # type: ignore[arg-type]
        await ask(pilot, "fix the bug")

    assert snap_compare(app, run_before=run_before, terminal_size=(110, 32))
