"""A Claude Code history of about 1 GB (FORKTREE_BENCH_IMPORT_MB sets it): 5,000
sessions of ~200 KB in 40 project folders, imported cold in a fresh process.

Rows: MB/s, and the import's peak RSS (target <= 300 MB: an import streams each file
and keeps no more than a transaction's worth of it)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

from tests.bench.bench_import import FILE_BYTES, _file
from tests.bench.common import Row

REPO = Path(__file__).resolve().parents[2]
MEGABYTES = int(os.environ.get("FORKTREE_BENCH_IMPORT_MB", "1000"))


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "projects"
        files = max(1, MEGABYTES * 1_000_000 // FILE_BYTES)
        start, total = time.perf_counter(), 0
        for i in range(files):
            folder = root / f"-work-p{i % 40}"
            folder.mkdir(parents=True, exist_ok=True)
            total += _file(folder / f"{uuidlib.UUID(int=i)}.jsonl", i)
        made = time.perf_counter() - start
        print(f"  wrote {total / 1e6:.0f} MB in {files} files in {made:.0f}s", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, "-m", "tests.bench.import_child", str(root), str(Path(tmp) / "home")],
            cwd=REPO,
            env=dict(os.environ, FORKTREE_CONFIG_DIR=str(Path(tmp) / "config")),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    elapsed, rss, workers = float(out[0]), float(out[1]), float(out[2])
    mb = total / 1e6
    return [
        Row(f"import cold, {mb:.0f} MB in {files} files", mb / elapsed, "MB/s", ">= 100 MB/s",
            None, mb / elapsed >= 100),
        Row(f"import of {mb:.0f} MB: peak RSS", rss, "MB", "<= 300 MB", None, rss <= 300),
        Row("the same, with its worker processes' peaks", rss + workers, "MB", "<= 300 MB",
            None, rss + workers <= 300),
    ]  # fmt: skip
