"""Drive the real app with Pilot on demo data and write SVG screenshots (make screenshots)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "screenshots"


async def shoot() -> list[Path]:
    from tui.app.app import ForktreeApp
    from tui.app.screens.main import MainScreen
    from tui.engine import Engine
    from tui.engine.sessions.demo import build_demo

    engine = Engine.open(os.environ["FORKTREE_HOME"])
    build_demo(engine)
    sessions = {s.title: s.id for s in engine.sessions()}
    billing = next(sid for title, sid in sessions.items() if title.startswith("Refactor"))
    written: list[Path] = []
    app = ForktreeApp(engine, remember_theme=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.prompt.cursor_blink = False

        async def save(name: str) -> None:
            await pilot.pause()
            written.append(Path(app.save_screenshot(f"{name}.svg", str(OUT))))

        await screen.open_session(billing)
        screen.transcript.focus_message(1)
        await save("main")
        await pilot.press("ctrl+k", *"rust")
        await save("switcher")
        await pilot.press("escape")
        screen.prompt.focus()
        screen.prompt.post_message(screen.prompt.Submitted("Fork me: what would change?"))
        await app.workers.wait_for_complete()
        await screen.controller.wait_idle()
        await save("streamed-reply")  # with its turn-result line under the reply
        await pilot.press("f6")
        await save("metrics")
        await pilot.press("escape")
        app.theme = "forktree-light"
        await save("light")
    return written


async def shoot_tools() -> list[Path]:
    """The permission prompt for a shell command, against a scripted Anthropic-style
    server on 127.0.0.1 (no key, no network)."""
    from tests.fakes.server import FakeServer, Reply
    from tests.fakes.streams import anthropic_calls
    from tui.app.app import ForktreeApp
    from tui.app.screens.main import MainScreen
    from tui.app.screens.permission import PermissionScreen
    from tui.engine import Engine
    from tui.engine.providers.anthropic import AnthropicProvider
    from tui.engine.sessions.model import Origin

    command = "pytest -q tests/test_parser.py -k timeout"
    with FakeServer() as server:
        server.script(
            Reply(
                chunks=anthropic_calls(
                    [("t1", "run_command", {"command": command})],
                    "I'll run the failing test first.",
                )
            )
        )
        engine = Engine.open(
            os.environ["FORKTREE_HOME"] + "-tools",
            providers=lambda name: AnthropicProvider("sk-screenshot", base_url=server.url),
        )
        engine.new_session(
            title="Fix the parser timeout",
            provider="anthropic",
            origin=Origin(cwd="/home/you/parser"),
        )
        app = ForktreeApp(engine, remember_theme=False)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            screen.prompt.cursor_blink = False
            await pilot.pause()
            await pilot.press(*"why does the parser time out?", "enter")
            while not isinstance(app.screen, PermissionScreen):
                await asyncio.sleep(0.01)
            await pilot.pause()
            path = Path(app.save_screenshot("tool-permission.svg", str(OUT)))
    return [path]


async def shoot_files() -> list[Path]:
    """The compare screen's file view: two forks of a coding session, each in its own git
    worktree, that changed the same file differently."""
    import subprocess

    from tests.files.test_files_cli import _edit
    from tui.app.app import ForktreeApp
    from tui.app.screens.compare import CompareScreen
    from tui.engine import Engine
    from tui.engine.files.worktree import make_workspace
    from tui.engine.sessions.model import Origin

    repo = Path(os.environ["FORKTREE_HOME"] + "-repo") / "parser"
    repo.mkdir(parents=True)
    (repo / "retry.py").write_text(
        "def fetch(url):\n    for attempt in range(3):\n        try:\n"
        "            return get(url)\n        except Timeout:\n            pass\n"
    )
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "start"]):
        subprocess.run(["git", "-C", str(repo), "-c", "user.email=a@b", "-c", "user.name=a",
                        *args], check=True, capture_output=True)  # fmt: skip
    engine = Engine.open(os.environ["FORKTREE_HOME"] + "-files")
    sid = engine.new_session(title="Make fetch retry with backoff", origin=Origin(cwd=str(repo))).id
    engine.append(sid, "user", "make fetch retry with backoff")
    a = make_workspace(engine, engine.fork(sid, title="careful").id)
    b = make_workspace(engine, engine.fork(sid, title="quick").id)
    _edit(engine, a.id, Path(a.origin.cwd or ""), "retry.py",
          "def fetch(url, attempts=3, base=0.2):\n    for attempt in range(attempts):\n"
          "        try:\n            return get(url)\n        except Timeout:\n"
          "            time.sleep(base * 2 ** attempt)\n    raise Timeout(url)\n")  # fmt: skip
    _edit(engine, b.id, Path(b.origin.cwd or ""), "retry.py",
          "def fetch(url):\n    for attempt in range(5):\n        try:\n"
          "            return get(url)\n        except Timeout:\n"
          "            time.sleep(1)\n")  # fmt: skip
    _edit(engine, b.id, Path(b.origin.cwd or ""), "test_retry.py",
          "def test_fetch_retries():\n    assert fetch_with(fails=2) == 'ok'\n")  # fmt: skip
    app = ForktreeApp(engine, remember_theme=False)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        app.push_screen(CompareScreen(engine, a.id, b.id))
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        path = Path(app.save_screenshot("compare-files.svg", str(OUT)))
    return [path]


async def shoot_agents() -> list[Path]:
    """The tree holding Claude Code, Codex and OpenCode sessions side by side."""
    from tests.importers.agent_samples import write_desk
    from tui.app.app import ForktreeApp
    from tui.app.screens.main import MainScreen
    from tui.engine import Engine
    from tui.engine.importers.agents import AGENTS

    folders = {name: Path(os.environ["FORKTREE_HOME"] + "-agents") / name for name in AGENTS}
    os.environ["CLAUDE_CONFIG_DIR"] = str(folders["claude_code"])
    os.environ["CODEX_HOME"] = str(folders["codex"])
    os.environ["XDG_DATA_HOME"] = str(folders["opencode"])
    write_desk(folders["claude_code"], folders["codex"], folders["opencode"] / "opencode")
    engine = Engine.open(os.environ["FORKTREE_HOME"] + "-agents-store")
    for agent in AGENTS.values():
        agent.importer(engine).run(agent.default_root())
    codex = next(s.id for s in engine.sessions() if s.title.startswith("Make the upload"))
    app = ForktreeApp(engine, remember_theme=False)
    async with app.run_test(size=(150, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.prompt.cursor_blink = False
        screen.session_tree.styles.width = 46
        await screen.open_session(codex)
        screen.transcript.focus_message(1)
        await pilot.pause()
        path = Path(app.save_screenshot("agents-tree.svg", str(OUT)))
    return [path]


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FORKTREE_HOME"] = str(Path(tmp) / "home")
        os.environ["FORKTREE_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ["FORKTREE_ECHO_DELAY"] = "0"
        for var in ("CLAUDE_CONFIG_DIR", "CODEX_HOME", "XDG_DATA_HOME"):  # never the real ones
            os.environ[var] = str(Path(tmp) / "agents-elsewhere" / var)
        for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY"):
            os.environ.pop(var, None)  # screenshots never show a key or a real provider
        written = [
            *asyncio.run(shoot()),
            *asyncio.run(shoot_tools()),
            *asyncio.run(shoot_files()),
            *asyncio.run(shoot_agents()),
        ]
    for path in written:
        print(f"wrote {path.relative_to(OUT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
