"""The built-in tools as the model uses them: read, list, search, write, edit, shell."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tui.engine.sessions.model import ToolUsePart
from tui.engine.tools import ToolContext, ToolError, ToolRegistry, Workspace, execute
from tui.engine.tools.files import edit_file, list_dir, read_file, search_files
from tui.engine.tools.redact import safe_env
from tui.engine.tools.shell import run_command


@pytest.fixture
def ctx(tmp_path: Path) -> ToolContext:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("def main():\n    return 1\n\nmain()\n")
    (tmp_path / "README.md").write_text("# Demo\nnaïve café ✓\n")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02")
    return ToolContext(Workspace(tmp_path), env=safe_env({"PATH": "/usr/bin:/bin"}))


async def test_read_pages_long_files_and_refuses_binary(ctx: ToolContext, tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text("".join(f"line {i}\n" for i in range(1, 101)))
    page = await read_file({"path": "long.txt", "offset": 10, "limit": 3}, ctx)
    assert page.content.startswith("line 10\nline 11\nline 12\n")
    assert "88 more lines; read on with offset=13" in page.content
    assert (await read_file({"path": "README.md"}, ctx)).content == "# Demo\nnaïve café ✓\n"
    with pytest.raises(ToolError, match="binary"):
        await read_file({"path": "blob.bin"}, ctx)
    with pytest.raises(ToolError, match="no such file"):
        await read_file({"path": "missing.txt"}, ctx)


async def test_list_and_search(ctx: ToolContext) -> None:
    listing = (await list_dir({}, ctx)).content.splitlines()
    assert listing[0] == "src/" and "README.md  24 B" in listing
    hits = await search_files({"glob": "**/*.py", "text": r"def \w+"}, ctx)
    assert hits.content == "src/main.py:1: def main():"
    assert (await search_files({"text": "café"}, ctx)).content == "README.md:2: naïve café ✓"
    assert (await search_files({"text": "(unclosed"}, ctx)).content == "no matches"


async def test_edit_needs_a_unique_match(ctx: ToolContext, tmp_path: Path) -> None:
    with pytest.raises(ToolError, match="occurs 2 times"):
        await edit_file({"path": "src/main.py", "old_text": "main", "new_text": "run"}, ctx)
    with pytest.raises(ToolError, match="not found"):
        await edit_file({"path": "src/main.py", "old_text": "nope", "new_text": "x"}, ctx)
    out = await edit_file(
        {"path": "src/main.py", "old_text": "return 1", "new_text": "return 2"}, ctx
    )
    assert out.content == "edited src/main.py (1 replacement(s))"
    assert "return 2" in (tmp_path / "src" / "main.py").read_text()
    await edit_file(
        {"path": "src/main.py", "old_text": "main", "new_text": "run", "replace_all": True}, ctx
    )
    assert (tmp_path / "src" / "main.py").read_text().count("run") == 2


async def test_shell_streams_output_with_exit_code_in_the_folder(
    ctx: ToolContext, tmp_path: Path
) -> None:
    chunks: list[str] = []

    async def sink(text: str) -> None:
        chunks.append(text)

    from dataclasses import replace

    out = await run_command({"command": "pwd; echo oops >&2; exit 3"}, replace(ctx, on_output=sink))
    assert out.exit_code == 3 and out.is_error
    assert out.content == f"{tmp_path}\noops\n\n[exit code 3]"
    assert "".join(chunks) == f"{tmp_path}\noops\n"


async def test_shell_times_out_and_kills_the_command(ctx: ToolContext) -> None:
    started = time.monotonic()
    out = await run_command({"command": "echo start; sleep 30", "timeout": 1}, ctx)
    assert out.is_error and "timed out after 1 s" in out.content
    assert out.content.startswith("start\n")
    assert time.monotonic() - started < 10


async def test_cancelling_a_command_kills_it(ctx: ToolContext, tmp_path: Path) -> None:
    task = asyncio.ensure_future(
        run_command({"command": "sleep 0.5; touch late.txt; sleep 30"}, ctx)
    )
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.8)
    assert not (tmp_path / "late.txt").exists()  # the whole process group was killed


async def test_secrets_never_reach_a_command_or_its_result(
    ctx: ToolContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "sk-ant-canary-0123456789abcdef"
    monkeypatch.setenv("ANTHROPIC_API_KEY", key)
    ctx = ToolContext(ctx.workspace, env=safe_env({"PATH": "/usr/bin:/bin", "MY_TOKEN": key}))
    call = ToolUsePart("t1", "run_command", {"command": "env; echo " + key})
    result = await execute(ToolRegistry(), call, ctx)
    assert "MY_TOKEN" not in result.content
    assert key not in result.content and "[redacted]" in result.content
    assert result.exit_code == 0 and result.duration_s is not None


async def test_execute_turns_every_failure_into_a_result(ctx: ToolContext) -> None:
    registry = ToolRegistry()
    unknown = await execute(registry, ToolUsePart("a", "fly", {}), ctx)
    assert unknown.is_error and unknown.content == "unknown tool 'fly'"
    bad = await execute(registry, ToolUsePart("b", "read_file", {"_unparsed": "{"}), ctx)
    assert bad.is_error and "not valid JSON" in bad.content
    missing = await execute(registry, ToolUsePart("c", "read_file", {}), ctx)
    assert missing.is_error and missing.content == "missing argument 'path'"
    wrong = await execute(registry, ToolUsePart("d", "read_file", {"path": 3}), ctx)
    assert wrong.content == "argument 'path' must be a string"


async def test_a_tool_that_breaks_becomes_an_error_result_not_a_crash(ctx: ToolContext) -> None:
    from tui.engine.tools import Tool, ToolSpec

    async def broken(args: dict[str, object], ctx: ToolContext) -> object:
        raise TypeError("unsupported operand")

    registry = ToolRegistry([Tool(ToolSpec("broken", "", {}), broken, writes=False)])  # type: ignore[arg-type]
    result = await execute(registry, ToolUsePart("t", "broken", {}), ctx)
    assert result.is_error and result.content == "broken failed: TypeError: unsupported operand"
