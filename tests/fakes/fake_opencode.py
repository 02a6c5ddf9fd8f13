#!/usr/bin/env python3
"""A stand-in for `opencode run --format json`: replays one run's JSON lines; and for
`opencode serve`: an HTTP server on a free port whose `POST /session/{id}/fork` answers
a new session (FAKE_OPENCODE_FORK=refuse: a 404).

FAKE_OPENCODE_LOG: one JSON line per run (argv, cwd) and per fork request (path,
body). A `--fork` run binds a new id."""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

args = sys.argv[1:]
log = os.environ.get("FAKE_OPENCODE_LOG")


def record(entry):
    if log:
        with open(log, "a") as handle:
            handle.write(json.dumps(entry) + "\n")


record({"argv": args, "cwd": os.getcwd()})


class Server(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        record({"path": self.path, "body": body})
        refuse = os.environ.get("FAKE_OPENCODE_FORK") == "refuse"
        answer = json.dumps({"name": "NotFoundError"} if refuse else {"id": "ses_forked_at"})
        self.send_response(404 if refuse else 200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *_args):
        pass


if args[:1] == ["serve"]:
    server = HTTPServer(("127.0.0.1", 0), Server)
    print(f"opencode server listening on http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()
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
