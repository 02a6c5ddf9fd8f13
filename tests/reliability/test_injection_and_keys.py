"""Untrusted text is shown, never interpreted; a key named by api_key_env never reaches
a command, its stored result or a printed error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Label, Static

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import openai_calls, openai_text
from tests.tools.test_tool_loop import Approver, Run
from tui.app.screens.permission import PermissionScreen, detail
from tui.cli import main
from tui.engine import Engine
from tui.engine.providers.http import RetryPolicy
from tui.engine.providers.openai import OpenAIProvider
from tui.engine.sessions.model import Origin
from tui.engine.tools import Decision, PermissionRequest, Verdict
from tui.engine.turns.run_factory import RunFactory
from tui.engine.util.humanize import terminal_safe

SNEAKY = "echo harmless\rrm -rf ~/work \x1b[2K\x1b[1A\u202e"
KEY = "lm-studio-canary-4f2a9c1d7e"


def _request(command: str = SNEAKY) -> PermissionRequest:
    return PermissionRequest(
        session_id="s", tool_id="t1", name="run_command", input={"command": command},
        summary=f"run `{command}`", writes=True, folder="/tmp/[bold]work[/]",
    )  # fmt: skip


def test_terminal_safe_shows_every_control_character() -> None:
    assert terminal_safe(SNEAKY) == "echo harmless\\rrm -rf ~/work \\x1b[2K\\x1b[1A\\u202e"
    assert terminal_safe("two\nlines\tand a tab") == "two\nlines\tand a tab"


def test_the_permission_detail_shows_what_would_run() -> None:
    console = Console(width=200, record=True, color_system=None)
    console.print(detail(_request()))
    shown = console.export_text()
    assert "echo harmless\\rrm -rf ~/work \\x1b[2K" in shown
    assert "\r" not in shown and "\x1b" not in shown


async def test_the_permission_prompt_shows_a_carriage_return_visibly() -> None:
    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(PermissionScreen(_request(), "a session"))

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        summary = str(screen.query_one("#permission-summary", Label).render())
        assert "\\r" in summary and "\r" not in summary
        assert "[bold]" in str(screen.query_one("#permission-folder", Label).render())
        code = screen.query_one("#permission-detail Static", Static)
        assert "\x1b" not in str(code.render())


async def test_a_key_named_by_api_key_env_never_reaches_a_command_or_the_store(
    engine: Engine, isolated_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = isolated_env.parent / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(
        '[providers.lm]\nkind = "openai"\nbase_url = "http://127.0.0.1:9/v1"\n'
        'api_key_env = "LMSTUDIO_KEY"\n'
    )
    monkeypatch.setenv("LMSTUDIO_KEY", KEY)
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "leak.txt").write_text(f"printed={KEY}\n")  # output holding the key
    command = 'echo "seen=[$LMSTUDIO_KEY]"; cat leak.txt'
    with FakeServer() as server:
        server.script(
            Reply(chunks=openai_calls([("c1", "run_command", {"command": command})])),
            Reply(chunks=openai_text(["done"])),
        )
        eng = Engine(
            engine.store,
            providers=lambda name: OpenAIProvider(
                KEY, base_url=server.url, retry=RetryPolicy(attempts=1)
            ),
        )
        sid = eng.new_session(provider="openai", origin=Origin(cwd=str(folder))).id
        runs = RunFactory(eng, approver=Approver(Verdict(Decision.ALLOW_ONCE)))
        tools = runs.runtime(sid).tools
        assert tools is not None and "LMSTUDIO_KEY" in tools.secret_names
        run = Run(eng, sid, tools)
        result = await run.runtime.send("go")
    assert result.outcome == "success"
    stored = json.dumps([m.to_dict() for m in eng.transcript(sid)])
    assert "seen=[]" in stored  # the command never had the key
    assert KEY not in stored and "printed=[redacted]" in stored


def test_a_server_that_echoes_the_key_in_an_error_never_gets_it_printed(
    engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeServer() as server:
        echo = json.dumps({"error": {"message": f"bad key {KEY}: \x1b[31mred"}}).encode()
        server.script(Reply(400, [echo]))
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
        sid = engine.new_session(provider="openai").id
        assert main(["send", sid, "hi", "--no-tools"]) == 1
    err = capsys.readouterr().err
    assert KEY not in err and "[redacted]" in err and "\x1b" not in err
    assert KEY not in json.dumps([m.to_dict() for m in Engine.open().transcript(sid)])
