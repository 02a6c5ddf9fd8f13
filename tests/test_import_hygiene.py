"""The engine must stay usable without the UI: importing it never loads Textual."""

from __future__ import annotations

import subprocess
import sys


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
        "tui.engine.search",
        "tui.engine.compare",
        "tui.engine.importers.claude_code",
        "tui.engine.fanout",
        "tui.app.screens.compare",
        "tui.app.screens.search",
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
