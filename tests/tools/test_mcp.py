"""MCP servers from the settings: a real stdio server (built with the SDK) offers its
tools, which the model calls through the same permission prompt and loop."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_calls, anthropic_text
from tui.engine import Engine
from tui.engine.config.settings import MCPServerSettings, load_settings
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.http import RetryPolicy
from tui.engine.sessions.model import Origin, ToolUsePart
from tui.engine.tools import Decision, PermissionRequest, ToolContext, Verdict, Workspace, execute
from tui.engine.tools.mcp import MCPHub
from tui.engine.turns.run_factory import mcp_hub, tool_setup
from tui.engine.turns.runtime import SessionRuntime

SERVER = str(Path(__file__).parent.parent / "fakes" / "mcp_server.py")


def _hub(tmp_path: Path, **kw: object) -> MCPHub:
    settings = MCPServerSettings("test", sys.executable, (SERVER,), **kw)  # type: ignore[arg-type]
    return MCPHub([settings], tmp_path / "logs")


async def test_tools_are_listed_and_called(tmp_path: Path) -> None:
    hub = _hub(tmp_path)
    try:
        assert await hub.start() == []
        tools = {t.name: t for t in hub.tools()}
        assert set(tools) == {"mcp__test__add", "mcp__test__explode", "mcp__test__read_env"}
        add = tools["mcp__test__add"]
        assert add.writes and add.spec.description == "Add two numbers."
        assert add.spec.input_schema["required"] == ["a", "b"]
        ctx = ToolContext(Workspace(tmp_path))
        assert (await add.run({"a": 2, "b": 3}, ctx)).content == "5"
        failed = await tools["mcp__test__explode"].run({"reason": "x"}, ctx)
        assert failed.is_error
    finally:
        await hub.close()
    assert all(s._task is not None and s._task.done() for s in hub.servers)


async def test_only_named_variables_reach_the_server_and_secrets_come_back_blanked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "ghp_canary_0123456789abcdef"
    monkeypatch.setenv("GITHUB_TOKEN", token)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-not-for-mcp-0123456789")
    hub = _hub(tmp_path, pass_env=("GITHUB_TOKEN",), env=(("MODE", "test"),))
    try:
        await hub.start()
        from tui.engine.tools import ToolRegistry

        registry = ToolRegistry(hub.tools())
        ctx = ToolContext(Workspace(tmp_path))

        async def env(name: str) -> str:
            call = ToolUsePart("t", "mcp__test__read_env", {"name": name})
            return (await execute(registry, call, ctx)).content

        assert await env("MODE") == "test"
        assert await env("ANTHROPIC_API_KEY") == "unset"
        assert await env("GITHUB_TOKEN") == "[redacted]"  # it got there; it is not stored
    finally:
        await hub.close()


async def test_a_server_that_cannot_start_is_a_clear_problem(tmp_path: Path) -> None:
    hub = MCPHub([MCPServerSettings("gone", "no-such-mcp-binary-xyz")], tmp_path / "logs")
    problems = await hub.start()
    assert len(problems) == 1 and problems[0].startswith(
        "MCP server 'gone' (no-such-mcp-binary-xyz) stopped:"
    )
    assert hub.tools() == []
    await hub.close()


async def test_the_model_calls_an_mcp_tool_after_the_user_allows_it(
    engine: Engine, tmp_path: Path
) -> None:
    asked: list[PermissionRequest] = []

    async def approve(request: PermissionRequest) -> Verdict:
        asked.append(request)
        return Verdict(Decision.ALLOW_ONCE)

    with FakeServer() as server:
        server.script(
            Reply(chunks=anthropic_calls([("m1", "mcp__test__add", {"a": 40, "b": 2})])),
            Reply(chunks=anthropic_text(["It is 42."])),
        )
        eng = Engine(
            engine.store,
            providers=lambda name: AnthropicProvider(
                "sk-test", base_url=server.url, retry=RetryPolicy(attempts=1)
            ),
        )
        sid = eng.new_session(provider="anthropic", origin=Origin(cwd=str(tmp_path))).id
        hub = _hub(tmp_path)
        setup = tool_setup(load_settings()[0].tools, approve, hub)
        try:
            result = await SessionRuntime(eng, sid, tools=setup).send("40 + 2?")
        finally:
            await hub.close()
        assert result.text == "It is 42."
        assert asked[0].summary == "call add on the MCP server 'test'"
        offered = [t["name"] for t in server.seen[0].body["tools"]]
        assert offered[-3:] == ["mcp__test__add", "mcp__test__explode", "mcp__test__read_env"]
        sent = server.seen[1].body["messages"][-1]["content"][0]
        assert sent["content"] == "42" and not sent["is_error"]


def test_mcp_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[mcp.servers.github]\ncommand = "github-mcp-server"\nargs = ["stdio"]\n'
        'pass_env = ["GITHUB_TOKEN"]\n[mcp.servers.broken]\nargs = ["x"]\n'
    )
    settings, problems = load_settings(path)
    (github,) = settings.mcp_servers
    assert (github.command, github.args, github.pass_env) == (
        "github-mcp-server",
        ("stdio",),
        ("GITHUB_TOKEN",),
    )
    assert problems == [f"{path}: [mcp.servers.broken] needs a command (a string)"]
    assert mcp_hub(settings) is not None and mcp_hub(load_settings(tmp_path / "none")[0]) is None
