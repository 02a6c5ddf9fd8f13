"""Codex as a provider: `codex exec --json resume <id> -` in the session's folder (a new
thread with `codex exec --json -`), the prompt on stdin, its JSONL events mapped.

Events: `thread.started` {thread_id}; `item.started` / `item.updated` / `item.completed`
{item: {id, type: agent_message | reasoning | command_execution | file_change |
mcp_tool_call | web_search, …}}; `turn.completed` {usage}; `turn.failed` / `error`."""

from __future__ import annotations

import json
from typing import Any

from tui.engine.providers.agent_cli import AgentCLI, LineMapper, json_event
from tui.engine.providers.base import CODEX_CLI, ProviderRequest
from tui.engine.sessions.events import (
    Done,
    Failed,
    ProviderEvent,
    SessionBound,
    TextDelta,
    ThinkingDelta,
    ToolCall,
    ToolResult,
    UsageReport,
)
from tui.engine.sessions.model import Usage

INSTALL_HINT = (
    "the `codex` command was not found on PATH; install the Codex CLI with "
    "`npm install -g @openai/codex` (or set FORKTREE_CODEX_BIN)"
)
TOOL_ITEMS = {"command_execution", "file_change", "mcp_tool_call", "web_search"}


class CodexProvider(AgentCLI):
    """One `codex exec` process per turn; Codex keeps the thread in its own rollout."""

    name = "codex"
    label = "codex"
    default_model = "gpt-5-codex"
    capabilities = CODEX_CLI  # what the registry says of it too: no unattended fork
    install_hint = INSTALL_HINT
    binary_env = "FORKTREE_CODEX_BIN"

    def argv(self, request: ProviderRequest, binary: str) -> list[str]:
        args = [binary, "exec", "--json", "--skip-git-repo-check"]
        if request.model and request.model != self.default_model:
            args += ["--model", request.model]
        if request.resume_id:
            args += ["resume", request.resume_id]
        args.append("-")  # the prompt comes on stdin: never parsed as a flag
        return args

    def mapper(self) -> LineMapper:
        started: set[str] = set()  # tool items already announced, this turn
        return lambda line: self._map(line, started)

    def _map(self, line: bytes, started: set[str]) -> list[ProviderEvent]:
        event = json_event(line)
        if event is None:
            return []
        kind = event.get("type")
        if kind in ("thread.started", "thread.resumed") and event.get("thread_id"):
            return [SessionBound(str(event["thread_id"]))]
        if kind in ("item.started", "item.completed"):
            item = event.get("item")
            return (
                self._item(item, kind == "item.completed", started)
                if isinstance(item, dict)
                else []
            )
        if kind == "turn.completed":
            usage = event.get("usage") or {}
            return [
                UsageReport(Usage(usage.get("input_tokens"), usage.get("output_tokens"))),
                Done("end_turn"),
            ]
        if kind in ("turn.failed", "error"):
            inner = event.get("error")
            error: dict[str, Any] = inner if isinstance(inner, dict) else event
            return [Failed(f"codex: {error.get('message') or 'the turn failed'}"[:500])]
        return []

    @staticmethod
    def _item(item: dict[str, Any], done: bool, started: set[str]) -> list[ProviderEvent]:
        kind, item_id = item.get("type"), str(item.get("id") or "")
        if kind == "agent_message" and done and item.get("text"):
            return [TextDelta(str(item["text"]))]
        if kind == "reasoning" and done and item.get("text"):
            return [ThinkingDelta(str(item["text"]))]
        if kind not in TOOL_ITEMS:
            return []
        out: list[ProviderEvent] = []
        if item_id not in started:
            started.add(item_id)
            data = {k: v for k, v in item.items() if k not in ("id", "type", "aggregated_output")}
            out.append(ToolCall(item_id, str(kind), data))
        if done:
            output = item.get("aggregated_output")
            text = output if isinstance(output, str) else json.dumps(item.get("changes") or item)
            code = item.get("exit_code")
            failed = item.get("status") == "failed" or (isinstance(code, int) and code != 0)
            out.append(ToolResult(item_id, text, failed))
        return out
