"""One Claude Code import in a fresh process, for bench_import_big:

    python -m tests.bench.import_child ROOT HOME

Prints the import's seconds, this process's peak RSS in MB (VmHWM: its own peak since
it started, not the parent's) and the sum of its worker processes' peaks, read just
before they stop."""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path


def peak_rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    from tui.engine import Engine
    from tui.engine.importers.claude_code import ClaudeCodeImporter
    from tui.engine.util.process_pool import OrderedPool

    workers_peak: list[float] = []
    close = OrderedPool.close

    def noted(self: OrderedPool[object]) -> None:
        workers_peak.extend(peak_rss_mb(pid) for pid in self.pids)
        close(self)

    OrderedPool.close = noted  # type: ignore[method-assign]

    root, home = Path(sys.argv[1]), Path(sys.argv[2])
    engine = Engine.open(home)
    start = time.perf_counter()
    report = ClaudeCodeImporter(engine).run(root)
    gc.collect()  # the full collection the import put off is part of its cost
    elapsed = time.perf_counter() - start
    assert report.count("failed") == 0, [f for f in report.files if f.action == "failed"][:3]
    print(elapsed, peak_rss_mb(), sum(workers_peak))


if __name__ == "__main__":
    main()
