"""A small desk of every agent's sessions, written in each agent's own format with
times relative to now (so ages read the same in snapshots): two Claude Code sessions,
two Codex threads (one a subagent's), an OpenCode session with a subtask."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.importers.cc_fixture import Transcript, text, tool_use


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _claude(root: Path, sid: str, cwd: str, branch: str, turns: list[tuple[str, str]],
            at: float) -> None:  # fmt: skip
    t = Transcript(session_id=sid, cwd=cwd, branch=branch)
    t.n = int(sid[-4:]) * 1000  # uuids of its own: Claude Code's are unique everywhere
    parent = None
    for n, (prompt, answer) in enumerate(turns):
        stamp = {"timestamp": _iso(at + n * 60)}
        u = t.user(prompt, parent, **stamp)
        a = t.assistant([text("Looking."), tool_use(f"t{n}", "Read", {"file_path": "app.py"})],
                        u, f"m{n}", **stamp)  # fmt: skip
        r = t.result(f"t{n}", "def main(): ...", a, **stamp)
        parent = t.assistant([text(answer)], r, f"m{n}b", **stamp)
    t.write(root / "projects" / cwd.replace("/", "-") / f"{sid}.jsonl")


def _codex(root: Path, thread: str, prompt: str, answer: str, at: float,
           parent: str | None = None) -> None:  # fmt: skip
    def line(kind: str, payload: dict[str, Any]) -> str:
        return json.dumps({"timestamp": _iso(at), "type": kind, "payload": payload}) + "\n"

    meta: dict[str, Any] = {"id": thread, "timestamp": _iso(at), "cwd": "/work/api",
                            "git": {"branch": "fix/timeouts"}}  # fmt: skip
    if parent:
        meta["source"] = {"subagent": {"thread_spawn": {"parent_thread_id": parent}}}
    body = [
        line("session_meta", meta),
        line("turn_context", {"cwd": "/work/api", "model": "gpt-5-codex"}),
        line("response_item", {"type": "message", "role": "user",
                               "content": [{"type": "input_text", "text": prompt}]}),
        line("response_item", {"type": "function_call", "name": "shell", "call_id": "c1",
                               "arguments": json.dumps({"command": ["pytest", "-q"]})}),
        line("response_item", {"type": "function_call_output", "call_id": "c1",
                               "output": json.dumps({"output": "2 passed"})}),
        line("response_item", {"type": "message", "role": "assistant",
                               "content": [{"type": "output_text", "text": answer}]}),
    ]  # fmt: skip
    path = root / "sessions" / "2026" / "11" / "30" / f"rollout-{thread}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(body))


def _opencode(root: Path, at: float) -> None:
    ms = int(at * 1000)
    sessions = [
        {"id": "ses_ui", "projectID": "p", "directory": "/work/web",
         "title": "Dark mode for the settings page", "time": {"created": ms, "updated": ms}},
        {"id": "ses_ui_sub", "projectID": "p", "directory": "/work/web", "parentID": "ses_ui",
         "title": "Find every hard-coded colour (@explore subagent)",
         "time": {"created": ms + 1000, "updated": ms + 1000}},
    ]  # fmt: skip
    messages, parts = [], []
    for s in sessions:
        for n, role in enumerate(("user", "assistant")):
            mid = f"msg_{s['id']}_{n}"
            messages.append({"id": mid, "sessionID": s["id"], "role": role,
                             "modelID": "claude-sonnet-4-5", "providerID": "anthropic",
                             "time": {"created": ms + n}})  # fmt: skip
            words = s["title"] if role == "user" else "Done: 14 colours moved to tokens."
            parts.append({"id": f"prt_{mid}", "messageID": mid, "sessionID": s["id"],
                          "type": "text", "text": words})  # fmt: skip
    root.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(root / "opencode.db")
    tables = (("session", sessions, "projectID"), ("message", messages, "sessionID"),
              ("part", parts, "messageID"))  # fmt: skip
    for table, rows, key in tables:
        db.execute(f"CREATE TABLE {table} (id TEXT PRIMARY KEY, owner_id TEXT, data TEXT)")
        db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)",
                       [(r["id"], r[key], json.dumps(r)) for r in rows])  # fmt: skip
    db.commit()
    db.close()


def write_desk(claude: Path, codex: Path, opencode: Path, now: float | None = None) -> None:
    """Every agent's sessions under the given homes (CLAUDE_CONFIG_DIR, CODEX_HOME, and
    the OpenCode data folder)."""
    now = now or time.time()
    _claude(claude, "aaaaaaaa-0000-4000-8000-000000000001", "/work/api", "main",
            [("Why does the retry loop never back off?", "It reset the delay each attempt.")],
            now - 3 * 3600)  # fmt: skip
    _claude(claude, "aaaaaaaa-0000-4000-8000-000000000002", "/work/web", "feat/dark",
            [("Add a dark theme toggle", "Added, with the choice remembered."),
             ("Now respect the system setting", "It follows prefers-color-scheme.")],
            now - 26 * 3600)  # fmt: skip
    _codex(codex, "019c0000-0000-7000-8000-000000000001", "Make the upload timeout configurable",
           "Added UPLOAD_TIMEOUT with a 30 s default.", now - 2 * 3600)  # fmt: skip
    _codex(codex, "019c0000-0000-7000-8000-000000000002", "Check the callers of upload()",
           "Three callers; none sets a timeout.", now - 2 * 3600 + 60,
           parent="019c0000-0000-7000-8000-000000000001")  # fmt: skip
    _opencode(opencode, now - 5 * 3600)
