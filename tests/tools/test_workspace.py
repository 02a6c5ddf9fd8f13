"""Path confinement: a tool never reaches outside the session's folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.engine.tools import ToolContext, ToolError, Workspace
from tui.engine.tools.files import list_dir, read_file, search_files, write_file


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "project"
    outside = tmp_path / "outside"
    (root / "src").mkdir(parents=True)
    outside.mkdir()
    (root / "src" / "app.py").write_text("print('hi')\n")
    (outside / "secret.txt").write_text("top secret\n")
    return root, outside


def test_relative_paths_resolve_inside(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    ws = Workspace(root)
    assert ws.resolve("src/app.py") == root / "src" / "app.py"
    assert ws.resolve("src/../src/app.py") == root / "src" / "app.py"
    assert ws.resolve(".") == root.resolve()
    assert ws.resolve(str(root / "src")) == root / "src"  # absolute but inside


@pytest.mark.parametrize(
    "path", ["../outside/secret.txt", "src/../../outside/secret.txt", "/etc/passwd", "/"]
)
def test_dot_dot_and_absolute_paths_outside_are_refused(
    layout: tuple[Path, Path], path: str
) -> None:
    with pytest.raises(ToolError, match="outside the session's folder"):
        Workspace(layout[0]).resolve(path)


def test_symlinks_out_are_refused_and_in_are_followed(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    (root / "escape").symlink_to(outside)
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "alias.py").symlink_to(root / "src" / "app.py")
    ws = Workspace(root)
    for path in ("escape/secret.txt", "leak.txt", "escape"):
        with pytest.raises(ToolError, match="outside"):
            ws.resolve(path)
    assert ws.resolve("alias.py") == (root / "src" / "app.py").resolve()


def test_a_symlink_loop_and_nul_are_clear_errors(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    (root / "a").symlink_to(root / "b")
    (root / "b").symlink_to(root / "a")
    ws = Workspace(root)
    with pytest.raises(ToolError):
        ws.resolve("a/x")
    with pytest.raises(ToolError, match="NUL"):
        ws.resolve("src/\x00")
    with pytest.raises(ToolError, match="required"):
        ws.resolve("  ")


def test_extra_roots_widen_the_workspace(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    ws = Workspace(root, [outside])
    assert ws.resolve(str(outside / "secret.txt")) == outside / "secret.txt"


async def test_tools_refuse_paths_outside(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    (root / "escape").symlink_to(outside)
    ctx = ToolContext(Workspace(root))
    with pytest.raises(ToolError):
        await read_file({"path": "escape/secret.txt"}, ctx)
    with pytest.raises(ToolError):
        await write_file({"path": "../outside/new.txt", "content": "x"}, ctx)
    with pytest.raises(ToolError):
        await list_dir({"path": "/"}, ctx)
    assert not (outside / "new.txt").exists()


async def test_search_does_not_follow_links_out(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    (root / "escape").symlink_to(outside)
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    ctx = ToolContext(Workspace(root))
    found = await search_files({"text": "secret|hi"}, ctx)
    assert "src/app.py:1: print('hi')" in found.content
    assert "secret" not in found.content
    names = await search_files({"glob": "*"}, ctx)
    assert names.content.splitlines() == ["src/app.py"]


async def test_write_lands_inside_with_parents_and_keeps_mode(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    script = root / "run.sh"
    script.write_text("old\n")
    os.chmod(script, 0o755)
    ctx = ToolContext(Workspace(root))
    out = await write_file({"path": "run.sh", "content": "new\n"}, ctx)
    assert out.content == "replaced run.sh (1 lines)"
    assert script.read_text() == "new\n" and script.stat().st_mode & 0o777 == 0o755
    out = await write_file({"path": "docs/a/b.md", "content": "# b"}, ctx)
    assert out.content == "created docs/a/b.md (1 lines)"
    assert not list(root.rglob(".tmp-*"))  # no temporary file left behind


def test_tool_settings_never_pre_allow_writing_tools(tmp_path: Path) -> None:
    from tui.engine.config.settings import load_settings
    from tui.engine.turns.run_factory import tool_setup

    path = tmp_path / "settings.toml"
    path.write_text(
        '[tools]\nauto_allow = ["read_file", "run_command", "write_file"]\n'
        'roots = ["/srv/data"]\nshell_timeout = -1\nmax_rounds = 5\n'
    )
    settings, problems = load_settings(path)
    assert settings.tools.auto_allow == ("read_file",)
    assert settings.tools.roots == ("/srv/data",) and settings.tools.max_rounds == 5
    assert settings.tools.shell_timeout == 120.0
    assert len(problems) == 3 and "'run_command' ignored" in problems[0]
    setup = tool_setup(settings.tools)
    assert setup is not None and setup.policy.auto_allow == {"read_file"}
    path.write_text("[tools]\nenabled = false\n")
    assert tool_setup(load_settings(path)[0].tools) is None
