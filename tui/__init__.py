"""forktree: browse, resume, fork and compare LLM agent sessions in the terminal."""

__version__ = "0.1.0"
