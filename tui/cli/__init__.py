"""The `forktree` command line: one module per command group; `main` is the entry point."""

from tui.cli.main import main

__all__ = ["main"]
