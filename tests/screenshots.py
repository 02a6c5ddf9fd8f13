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
    from tui.engine.demo import build_demo

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
        screen.transcript.views()[1].focus()
        await save("main")
        await pilot.press("ctrl+k", *"rust")
        await save("switcher")
        await pilot.press("escape")
        screen.prompt.focus()
        screen.prompt.post_message(screen.prompt.Submitted("Fork me: what would change?"))
        await app.workers.wait_for_complete()
        await save("streamed-reply")
        app.theme = "forktree-light"
        await save("light")
    return written


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FORKTREE_HOME"] = str(Path(tmp) / "home")
        os.environ["FORKTREE_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ["FORKTREE_ECHO_DELAY"] = "0"
        for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY"):
            os.environ.pop(var, None)  # screenshots never show a key or a real provider
        written = asyncio.run(shoot())
    for path in written:
        print(f"wrote {path.relative_to(OUT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
