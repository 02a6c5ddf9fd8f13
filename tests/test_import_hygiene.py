"""The engine must stay usable without the UI: importing it never loads Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_engine_never_imports_textual() -> None:
    code = (
        "import sys, pkgutil, importlib, tui.engine\n"
        "for m in pkgutil.walk_packages(tui.engine.__path__, 'tui.engine.'):\n"
        "    importlib.import_module(m.name)\n"
        "import tui.cli\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_app_starts_without_loading_what_it_only_needs_later() -> None:
    """Start-up imports stay lean: search, compare, the Claude Code importer, fan-out,
    the providers' HTTP client, the MCP SDK and sqlite3 load when first used."""
    later = [
        "tui.engine.explore.search",
        "tui.engine.explore.compare",
        "tui.engine.importers.claude_code",
        "tui.engine.explore.fanout",
        "tui.app.screens.compare",
        "tui.app.screens.search",
        "tui.app.widgets.message_view",  # the live reply, with Textual's Markdown widget
        "textual.widgets._markdown",
        "textual.widgets._progress_bar",  # shown only while an import runs
        "httpx",
        "mcp",
        "sqlite3",
    ]
    code = (
        "import sys, tui.cli, tui.app.app\n"  # the path `forktree` takes to the app
        f"loaded = [m for m in {later!r} if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_reading_a_store_takes_no_lock(tmp_path: Path) -> None:
    """Listing and reading sessions (all a start-up does) never loads the write lock."""
    home = str(tmp_path / "home")
    subprocess.run(
        [sys.executable, "-c", f"from tui.engine import Engine; Engine.open({home!r})"
         ".new_session(title='x')"],
        check=True,
    )  # fmt: skip
    code = (
        "import sys\n"
        "from tui.engine import Engine\n"
        f"engine = Engine.open({home!r})\n"
        "[engine.transcript(r.id) for r in engine.session_rows()]\n"
        "assert 'filelock' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_start_on_a_saved_frame_draws_it_before_loading_the_engine() -> None:
    """What `forktree` imports to draw a saved first frame (tui.launch's quick path):
    Textual's App and the frame, not the engine, the CLI, the main screen or Markdown."""
    code = (
        "import sys, tui.launch, tui.app.first_frame, tui.app.app, tui.app.screens.first_frame\n"
        "heavy = ['tui.engine.engine', 'tui.cli', 'tui.app.screens.main', 'tinydb',\n"
        "         'markdown_it', 'pygments', 'textual.widgets._markdown']\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
