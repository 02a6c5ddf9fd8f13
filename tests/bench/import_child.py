"""One Claude Code import in a fresh process, for bench_import_big:

    python -m tests.bench.import_child ROOT HOME

Prints the import's seconds and the process's peak RSS in MB (VmHWM: this process's
own peak since it started, not the parent's)."""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path


def peak_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    from tui.engine import Engine
    from tui.engine.importers.claude_code import ClaudeCodeImporter

    root, home = Path(sys.argv[1]), Path(sys.argv[2])
    engine = Engine.open(home)
    start = time.perf_counter()
    report = ClaudeCodeImporter(engine).run(root)
    gc.collect()  # the full collection the import put off is part of its cost
    elapsed = time.perf_counter() - start
    assert report.count("failed") == 0, [f for f in report.files if f.action == "failed"][:3]
    print(elapsed, peak_rss_mb())


if __name__ == "__main__":
    main()
