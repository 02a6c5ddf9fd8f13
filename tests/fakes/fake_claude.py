#!/usr/bin/env python3
"""A stand-in for the `claude` CLI: replays recorded stream-json for a scenario.

FAKE_CLAUDE_SCENARIO: success | error_result | is_error_success | slow | crash
FAKE_CLAUDE_LOG: a file that receives one JSON line per run: argv, cwd, stdin.
"""

import json
import os
import sys
import time

scenario = os.environ.get("FAKE_CLAUDE_SCENARIO", "success")
prompt = sys.stdin.read()
log = os.environ.get("FAKE_CLAUDE_LOG")
if log:
    with open(log, "a") as handle:
        handle.write(
            json.dumps(
                {"argv": sys.argv[1:], "cwd": os.getcwd(), "stdin": prompt, "pid": os.getpid()}
            )
            + "\n"
        )

resumed = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--resume=")), None)
new_id = "fork-new-id" if "--fork-session" in sys.argv else (resumed or "fresh-session-id")


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


emit(
    {
        "type": "system",
        "subtype": "init",
        "session_id": new_id,
        "cwd": os.getcwd(),
        "tools": ["Read", "Bash"],
        "model": "claude-sonnet-4-5",
        "uuid": "i1",
    }
)
if scenario == "crash":
    sys.stderr.write("fatal: something broke\n")
    sys.exit(3)
msg = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5"}
emit(
    {
        "type": "assistant",
        "session_id": new_id,
        "parent_tool_use_id": None,
        "uuid": "a1",
        "message": msg
        | {"content": [{"type": "thinking", "thinking": "Plan it.", "signature": "s"}]},
    }
)
emit(
    {
        "type": "assistant",
        "session_id": new_id,
        "parent_tool_use_id": None,
        "uuid": "a2",
        "message": msg
        | {
            "content": [
                {"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {"command": "ls"}}
            ]
        },
    }
)
emit(
    {
        "type": "assistant",
        "session_id": new_id,
        "parent_tool_use_id": "toolu_x",
        "uuid": "sub",
        "message": msg | {"content": [{"type": "text", "text": "SUBAGENT"}]},
    }
)
emit(
    {
        "type": "user",
        "session_id": new_id,
        "parent_tool_use_id": None,
        "uuid": "u1",
        "message": {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "README.md\nsrc"}
            ],
        },
    }
)
if scenario == "slow":
    for i in range(600):
        emit(
            {
                "type": "assistant",
                "session_id": new_id,
                "parent_tool_use_id": None,
                "uuid": f"s{i}",
                "message": msg | {"content": [{"type": "text", "text": f"word{i} "}]},
            }
        )
        time.sleep(0.05)
emit(
    {
        "type": "assistant",
        "session_id": new_id,
        "parent_tool_use_id": None,
        "uuid": "a3",
        "message": msg | {"content": [{"type": "text", "text": f"You asked: {prompt}"}]},
    }
)
result = {
    "type": "result",
    "subtype": "success",
    "is_error": False,
    "duration_ms": 1200,
    "num_turns": 2,
    "result": f"You asked: {prompt}",
    "session_id": new_id,
    "total_cost_usd": 0.0123,
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 10, "cache_read_input_tokens": 90, "output_tokens": 20},
}
if scenario == "error_result":
    result |= {
        "subtype": "error_max_turns",
        "is_error": True,
        "result": None,
        "errors": ["max turns reached"],
    }
elif scenario == "is_error_success":
    result |= {"is_error": True, "result": "API Error: 529 overloaded", "api_error_status": 529}
emit(result)
