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
