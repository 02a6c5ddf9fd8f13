"""Read one Codex CLI rollout (a JSONL file) into a linear transcript.

Both formats: the current one (`{timestamp, type, payload}` lines: `session_meta`,
`turn_context`, `response_item`, `event_msg`, `compacted`) and the older one (a bare
header line, then bare response items). Tool calls are paired with their outputs by
`call_id`; reasoning summaries become thinking; `token_count` events give each request's
usage; a compaction keeps its summary as a compact message. What is not understood is
skipped and counted, never fatal."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from tui.engine.sessions.model import (
    Part,
    Role,
    TextPart,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
    Usage,
)

CONTEXT_MARKS = ("<environment_context>", "<user_instructions>", "# AGENTS.md", "<turn_aborted>")
CALLS = {"function_call", "custom_tool_call", "local_shell_call", "web_search_call"}
OUTPUTS = {"function_call_output", "custom_tool_call_output"}


@dataclass
class Entry:
    """One message of the transcript, as it is being read."""

    role: Role
    parts: list[Part]
    created: float
    model: str | None = None
    usage: Usage = field(default_factory=Usage)
    compact: bool = False


@dataclass
class Rollout:
    """What one rollout file holds."""

    thread_id: str | None = None
    cwd: str | None = None
    git_branch: str | None = None
    model: str | None = None
    title: str | None = None
    forked_from: str | None = None
    parent_thread: str | None = None  # a subagent thread's parent
    entries: list[Entry] = field(default_factory=list)
    skipped: int = 0


IDE_REQUEST = "## My request for Codex:"  # the IDE extension's prompt, after its context


def prompt_title(text: str) -> str:
    """A title from a prompt: the IDE extension's request rather than its context."""
    if IDE_REQUEST in text:
        text = text.split(IDE_REQUEST, 1)[1]
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0][:120] if lines else "Codex session"


def _time(value: object) -> float:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).timestamp()  # 3.11 reads a trailing Z
        except ValueError:
            return 0.0
    return 0.0


def _texts(content: object) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    return "".join(
        str(block.get("text", ""))
        for block in content
        if isinstance(block, dict) and block.get("type") in ("input_text", "output_text", "text")
    )


def _output_text(raw: object) -> tuple[str, bool, int | None]:
    """A tool output's text, whether it failed, and its exit code where it says one."""
    if isinstance(raw, dict):
        data: Any = raw
    elif isinstance(raw, str):
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return raw, False, None
    else:
        return str(raw), False, None
    if not isinstance(data, dict):
        return str(raw), False, None
    meta = data.get("metadata")
    code = meta.get("exit_code") if isinstance(meta, dict) else None
    text = data.get("output", raw if isinstance(raw, str) else json.dumps(raw))
    exit_code = code if isinstance(code, int) and not isinstance(code, bool) else None
    return str(text), bool(exit_code), exit_code


class RolloutParser:
    """Feed it a rollout's objects in order; `finish` gives the `Rollout`."""

    def __init__(self) -> None:
        self.out = Rollout()
        self._metas = 0
        self._calls: dict[str, Entry] = {}  # call_id -> the reply that made it
        self._now = 0.0

    def feed(self, obj: dict[str, Any] | None) -> None:
        if not isinstance(obj, dict):
            self.out.skipped += 1
            return
        kind, payload = obj.get("type"), obj.get("payload")
        if "payload" in obj and isinstance(payload, dict):  # the current format
            self._now = _time(obj.get("timestamp")) or self._now
            if kind == "session_meta":
                self._meta(payload)
            elif kind == "turn_context":
                if isinstance(payload.get("model"), str):
                    self.out.model = payload["model"]
                if isinstance(payload.get("cwd"), str) and not self.out.cwd:
                    self.out.cwd = payload["cwd"]
            elif kind == "response_item":
                self._item(payload)
            elif kind == "event_msg":
                self._event(payload)
            elif kind == "compacted":
                self._compacted(payload)
            return
        if obj.get("record_type") == "state":
            return
        if self._metas == 0 and "id" in obj and "type" not in obj:  # the older header
            self._meta(obj)
            return
        if isinstance(kind, str):
            self._item(obj)
        else:
            self.out.skipped += 1

    def _meta(self, meta: dict[str, Any]) -> None:
        self._metas += 1
        if self._metas > 1:  # a fork replays its parent's records, metas included
            return
        self.out.thread_id = str(meta.get("id") or "") or None
        self._now = _time(meta.get("timestamp")) or self._now
        if isinstance(meta.get("cwd"), str):
            self.out.cwd = meta["cwd"]
        git = meta.get("git")
        if isinstance(git, dict) and isinstance(git.get("branch"), str):
            self.out.git_branch = git["branch"]
        if isinstance(meta.get("forked_from_id"), str):
            self.out.forked_from = meta["forked_from_id"]
        source = meta.get("source")
        if isinstance(source, dict):
            spawn = (source.get("subagent") or {}).get("thread_spawn") or {}
            if isinstance(spawn, dict) and isinstance(spawn.get("parent_thread_id"), str):
                self.out.parent_thread = spawn["parent_thread_id"]

    def _reply(self) -> Entry:
        """The assistant message being built (a new one after a prompt)."""
        entries = self.out.entries
        if entries and entries[-1].role is Role.ASSISTANT and not entries[-1].compact:
            return entries[-1]
        entry = Entry(Role.ASSISTANT, [], self._now, self.out.model)
        entries.append(entry)
        return entry

    def _item(self, item: dict[str, Any]) -> None:
        kind = item.get("type")
        if kind == "message":
            text = _texts(item.get("content"))
            role = item.get("role")
            if role == "user":
                if text.strip() and not text.lstrip().startswith(CONTEXT_MARKS):
                    self.out.entries.append(Entry(Role.USER, [TextPart(text)], self._now))
                    if self.out.title is None:
                        self.out.title = prompt_title(text)
            elif role == "assistant" and text:
                self._reply().parts.append(TextPart(text))
        elif kind == "reasoning":
            summary = item.get("summary")
            text = "\n".join(
                str(s.get("text", "")) for s in summary or () if isinstance(s, dict)
            ).strip()
            if text:
                self._reply().parts.append(ThinkingPart(text))
        elif kind in CALLS:
            call_id = str(item.get("call_id") or item.get("id") or f"call-{len(self._calls)}")
            name = str(item.get("name") or kind.removesuffix("_call"))
            raw = item.get("arguments", item.get("input", item.get("action")))
            data: dict[str, Any]
            if isinstance(raw, str):
                try:
                    parsed = orjson.loads(raw)
                    data = parsed if isinstance(parsed, dict) else {"input": parsed}
                except orjson.JSONDecodeError:
                    data = {"input": raw}
            else:
                data = raw if isinstance(raw, dict) else {}
            reply = self._reply()
            reply.parts.append(ToolUsePart(call_id, name, data))
            self._calls[call_id] = reply
        elif kind in OUTPUTS:
            call_id = str(item.get("call_id") or "")
            owner = self._calls.get(call_id)
            if owner is None:
                self.out.skipped += 1
                return
            text, failed, code = _output_text(item.get("output"))
            owner.parts.append(ToolResultPart(call_id, text, failed, exit_code=code))
        # ghost snapshots, images and kinds not known yet: nothing to show

    def _event(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "token_count":
            info = event.get("info")
            last = info.get("last_token_usage") if isinstance(info, dict) else None
            entries = self.out.entries
            if isinstance(last, dict) and entries and entries[-1].role is Role.ASSISTANT:
                entries[-1].usage = Usage(
                    input_tokens=_count(last.get("input_tokens")),
                    output_tokens=_count(last.get("output_tokens")),
                )
        elif kind == "thread_name_updated":
            name = event.get("thread_name") or event.get("name")
            if isinstance(name, str) and name.strip():
                self.out.title = name.strip()

    def _compacted(self, payload: dict[str, Any]) -> None:
        summary = payload.get("message")
        if isinstance(summary, str) and summary.strip():
            entry = Entry(Role.ASSISTANT, [TextPart(summary)], self._now, compact=True)
            self.out.entries.append(entry)

    def finish(self) -> Rollout:
        for entry in self.out.entries:
            entry.model = entry.model if entry.role is Role.ASSISTANT else None
        self.out.entries = [e for e in self.out.entries if e.parts]
        return self.out


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
