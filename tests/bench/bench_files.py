"""File history (#20): what recording a turn's file changes adds to it, and what 100
small edits of one file cost the store, measured side by side in one run."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from tests.bench.common import Row, p50
from tui.engine.files.blobs import BlobStore
from tui.engine.files.history import record
from tui.engine.files.watch import after_call, before_call

SIZE = 10 * 1024
ROUNDS = 30


def _text(seed: int) -> bytes:
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "return", "value", "self", "def", "=", "+"]
    lines = []
    while sum(len(line) for line in lines) < SIZE:
        lines.append(" ".join(rng.choice(words) for _ in range(8)) + "\n")
    return "".join(lines).encode()


def _turn(folder: Path, blobs: BlobStore | None, round_: int) -> float:
    """Five edit_file calls on 10 KB files; with `blobs`, each call's changes recorded.
    The milliseconds the whole turn took."""
    import time

    start = time.perf_counter()
    for i in range(5):
        path = folder / f"file{i}.py"
        args = {"path": path.name}
        before = before_call(folder, "edit_file", args, 1 << 20, None) if blobs else None
        data = path.read_bytes()
        line = f"edited in round {round_}\n".encode()
        path.write_bytes(data.replace(b"\n", b"\n" + line, 1))
        if blobs is not None and before is not None:
            record(blobs, f"t{i}", after_call(before, 1 << 20))
    return (time.perf_counter() - start) * 1000


def run() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "work"
        folder.mkdir()
        for i in range(5):
            (folder / f"file{i}.py").write_bytes(_text(i))
        blobs = BlobStore(Path(tmp) / "blobs")
        plain, recorded = [], []
        for round_ in range(ROUNDS):  # interleaved, so both see the same machine
            plain.append(_turn(folder, None, round_))
            recorded.append(_turn(folder, blobs, round_))
        added = p50(recorded) - p50(plain)
        rows.append(
            Row("files: a turn editing 5 files of 10 KB, recording added (p50)", added, "ms",
                f"<= 20 ms (the edits alone: {p50(plain):.2f} ms)", added / 20, added <= 20)
        )  # fmt: skip

        growth = BlobStore(Path(tmp) / "growth")
        text = _text(99)
        base = growth.put(text)
        first = growth.size()
        changed = 0
        rng = random.Random(7)
        for i in range(100):
            lines = text.splitlines(keepends=True)
            at = rng.randrange(len(lines))
            new = f"    value = {i} + self.delta  # edit {i}\n".encode()
            changed += len(new) + len(lines[at])  # a replaced line: its bytes out and in
            lines[at] = new
            text = b"".join(lines)
            base = growth.put(text, base=base)
        grown = growth.size() - first
        rows.append(
            Row("files: store growth, 100 one-line edits of a 10 KB file", grown / 1024, "KB",
                f"<= 2x the {changed / 1024:.1f} KB changed, out and in (first copy: "
                f"{first / 1024:.1f} KB more)", grown / (2 * changed), grown <= 2 * changed)
        )  # fmt: skip
    return rows
