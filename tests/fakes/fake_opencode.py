#!/usr/bin/env python3
"""A stand-in for `opencode run --format json`: replays one run's JSON lines.

FAKE_OPENCODE_LOG: one JSON line per run (argv, cwd). A `--fork` run binds a new id."""

import json
import os
import sys

args = sys.argv[1:]
log = os.environ.get("FAKE_OPENCODE_LOG")
if log:
    with open(log, "a") as handle:
        handle.write(json.dumps({"argv": args, "cwd": os.getcwd()}) + "\n")
session = args[args.index("--session") + 1] if "--session" in args else "ses_new"
if "--fork" in args:
    session = "ses_forked"
prompt = args[args.index("--") + 1] if "--" in args else ""


def emit(kind, part):
    sys.stdout.write(json.dumps({"type": kind, "sessionID": session, "part": part}) + "\n")
    sys.stdout.flush()


emit("step_start", {"type": "step-start"})
emit(
    "tool_use",
    {
        "type": "tool",
        "callID": "call_1",
        "tool": "read",
        "state": {"status": "completed", "input": {"filePath": "a.py"}, "output": "print(1)"},
    },
)
emit(
    "step_finish",
    {
        "type": "step-finish",
        "reason": "tool-calls",
        "tokens": {"input": 100, "output": 10, "cache": {"read": 0, "write": 0}},
    },
)
emit("text", {"type": "text", "text": f"Done: {prompt}"})
emit(
    "step_finish",
    {
        "type": "step-finish",
        "reason": "stop",
        "cost": 0.02,
        "tokens": {"input": 300, "output": 30, "cache": {"read": 50, "write": 0}},
    },
)
