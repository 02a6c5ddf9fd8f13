"""Claude Code import: a synthetic history of 1,000 files / ~200 MB.

Targets: cold import >= 50 MB/s; a re-import with nothing changed <= 1 s. The same
import in one process (no worker processes) is timed beside it.
"""

from __future__ import annotations

import gc
import json
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

from tests.bench.common import Row
from tui.engine import Engine
from tui.engine.importers import bulk
from tui.engine.importers.claude_code import ClaudeCodeImporter
from tui.engine.util.process_pool import worker_count

FILES = 1000
FILE_BYTES = 200_000


def _file(path: Path, seed: int) -> int:
    """One session file of about FILE_BYTES: prompts, split replies, tool calls, results."""
    sid = str(uuidlib.UUID(int=seed))
    lines: list[str] = []
    size, parent, n = 0, None, 0
    base = {
        "isSidechain": False,
        "userType": "external",
        "cwd": f"/work/p{seed % 40}",
        "sessionId": sid,
        "version": "2.1.7",
        "gitBranch": "main",
    }
    while size < FILE_BYTES:
        n += 1
        u = f"{seed:06d}-{n:05d}-u"
        lines.append(
            json.dumps(
                base
                | {
                    "type": "user",
                    "uuid": u,
                    "parentUuid": parent,
                    "timestamp": "2026-01-01T10:00:00.000Z",
                    "message": {"role": "user", "content": f"Please fix bug {n} in mod{n}.py"},
                }
            )
        )
        msg = {
            "model": "claude-sonnet-4-5",
            "id": f"msg_{seed}_{n}",
            "role": "assistant",
            "usage": {"input_tokens": 1200, "output_tokens": 300},
        }
        a1, a2 = f"{seed:06d}-{n:05d}-a1", f"{seed:06d}-{n:05d}-a2"
        lines.append(
            json.dumps(
                base
                | {
                    "type": "assistant",
                    "uuid": a1,
                    "parentUuid": u,
                    "message": msg
                    | {"content": [{"type": "text", "text": "Let me read the module first. " * 6}]},
                }
            )
        )
        tool = f"toolu_{seed}_{n}"
        lines.append(
            json.dumps(
                base
                | {
                    "type": "assistant",
                    "uuid": a2,
                    "parentUuid": a1,
                    "message": msg
                    | {
                        "content": [
                            {
                                "type": "tool_use",
                                "id": tool,
                                "name": "Read",
                                "input": {"file_path": f"src/mod{n}.py"},
                            }
                        ]
                    },
                }
            )
        )
        r = f"{seed:06d}-{n:05d}-r"
        body = "\n".join(
            f"{i:4d}  def handler_{i}(request):  return respond(request)" for i in range(40)
        )
        lines.append(
            json.dumps(
                base
                | {
                    "type": "user",
                    "uuid": r,
                    "parentUuid": a2,
                    "message": {
                        "role": "user",
                        "content": [{"type": "tool_result", "tool_use_id": tool, "content": body}],
                    },
                    "toolUseResult": {"type": "text", "file": {"content": body}},
                }
            )
        )
        parent = f"{seed:06d}-{n:05d}-a3"
        lines.append(
            json.dumps(
                base
                | {
                    "type": "assistant",
                    "uuid": parent,
                    "parentUuid": r,
                    "message": msg
                    | {
                        "id": f"msg_{seed}_{n}_b",
                        "content": [
                            {"type": "text", "text": "Fixed: the handler now validates input. " * 8}
                        ],
                    },
                }
            )
        )
        size = sum(len(x) + 1 for x in lines)
    path.write_text("\n".join(lines) + "\n")
    return size


def _cold(home: Path, root: Path, parallel: bool) -> float:
    """Seconds of a cold import into `home`, with or without worker processes."""
    saved = bulk.PARALLEL_BYTES
    bulk.PARALLEL_BYTES = saved if parallel else 1 << 62
    try:
        engine = Engine.open(home)
        start = time.perf_counter()
        assert ClaudeCodeImporter(engine).run(root).count("imported") == FILES
        gc.collect()
        engine.close()
        return time.perf_counter() - start
    finally:
        bulk.PARALLEL_BYTES = saved


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "projects"
        total = 0
        for i in range(FILES):
            folder = root / f"-work-p{i % 40}"
            folder.mkdir(parents=True, exist_ok=True)
            total += _file(folder / f"{uuidlib.UUID(int=i)}.jsonl", i)
        one = _cold(Path(tmp) / "one", root, parallel=False)  # side by side: no workers
        engine = Engine.open(Path(tmp) / "home")
        start = time.perf_counter()
        report = ClaudeCodeImporter(engine).run(root)
        gc.collect()  # the full collection the import put off is part of its cost
        cold = time.perf_counter() - start
        assert report.count("imported") == FILES
        start = time.perf_counter()
        again = ClaudeCodeImporter(engine).run(root)
        warm = time.perf_counter() - start
        assert again.count("unchanged") == FILES
    mb = total / 1e6
    return [
        Row(
            f"import cold ({FILES} files, {mb:.0f} MB)",
            mb / cold,
            "MB/s",
            ">= 50 MB/s",
            None,
            mb / cold >= 50,
        ),
        Row(
            f"the same, in one process (no workers; {worker_count()} with them)",
            mb / one,
            "MB/s",
            "(reference; ratio: the workers' speed-up)",
            one / cold,
            None,
        ),
        Row(
            "import warm (nothing changed)",
            warm * 1000,
            "ms",
            "<= 1000 ms",
            warm / cold,
            warm <= 1.0,
        ),
    ]
