#!/usr/bin/env python3
"""A stand-in for the `codex` CLI's `exec --json`: replays a turn's JSONL events.

FAKE_CODEX_SCENARIO: success | fail. FAKE_CODEX_LOG: one JSON line per run (argv, cwd, stdin).
"""

import json
import os
import sys

prompt = sys.stdin.read()
log = os.environ.get("FAKE_CODEX_LOG")
if log:
    with open(log, "a") as handle:
        handle.write(json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd(), "stdin": prompt}) + "\n")
args = sys.argv[1:]
thread = args[args.index("resume") + 1] if "resume" in args else "new-thread-id"


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


emit({"type": "thread.started", "thread_id": thread})
emit({"type": "turn.started"})
if os.environ.get("FAKE_CODEX_SCENARIO") == "fail":
    emit({"type": "turn.failed", "error": {"message": "stream disconnected"}})
    sys.exit(1)
emit({"type": "item.completed", "item": {"id": "r0", "type": "reasoning", "text": "**Checking**"}})
cmd = {"id": "c1", "type": "command_execution", "command": "bash -lc ls", "status": "in_progress"}
emit({"type": "item.started", "item": cmd})
emit(
    {
        "type": "item.completed",
        "item": {**cmd, "status": "completed", "exit_code": 0, "aggregated_output": "README.md\n"},
    }
)
emit(
    {
        "type": "item.completed",
        "item": {"id": "m1", "type": "agent_message", "text": f"Done: {prompt.strip()}"},
    }
)
emit(
    {
        "type": "turn.completed",
        "usage": {"input_tokens": 900, "cached_input_tokens": 100, "output_tokens": 40},
    }
)
