"""Claude Code as a provider: runs `claude -p --output-format stream-json --verbose`
(with `--resume` / `--fork-session`) in the session's folder and maps its events."""

from __future__ import annotations

from typing import Any

from tui.engine.importers.claude_code_parse import content_text
from tui.engine.providers.agent_cli import AgentCLI, LineMapper, json_event
from tui.engine.providers.base import AGENT_CLI, ProviderRequest
from tui.engine.providers.defaults import CLAUDE_CODE_MODEL
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
    "the `claude` command was not found on PATH; install Claude Code with "
    "`npm install -g @anthropic-ai/claude-code` (or set FORKTREE_CLAUDE_BIN)"
)


class ClaudeCodeProvider(AgentCLI):
    """One `claude -p` process per turn; the prompt goes in on stdin."""

    name = "claude_code"
    label = "claude"
    default_model = CLAUDE_CODE_MODEL
    capabilities = AGENT_CLI
    install_hint = INSTALL_HINT
    binary_env = "FORKTREE_CLAUDE_BIN"

    def argv(self, request: ProviderRequest, binary: str) -> list[str]:
        args = [binary, "-p", "--output-format", "stream-json", "--verbose"]
        if request.model and request.model != self.default_model:
            args.append(f"--model={request.model}")
        if request.resume_id:
            args.append(f"--resume={request.resume_id}")  # '=' form: no flag injection
            if request.fork:
                args.append("--fork-session")
        if request.system_prompt and not request.resume_id:
            args.append(f"--append-system-prompt={request.system_prompt}")
        return args

    def mapper(self) -> LineMapper:
        return self._map

    def _map(self, line: bytes) -> list[ProviderEvent]:
        event = json_event(line)
        if event is None or event.get("parent_tool_use_id"):
            return []  # subagent traffic stays inside its Task call
        kind = event.get("type")
        if kind == "system" and event.get("subtype") == "init" and event.get("session_id"):
            return [SessionBound(str(event["session_id"]))]
        if kind == "assistant":
            out: list[ProviderEvent] = []
            for block in (event.get("message") or {}).get("content") or ():
                btype = block.get("type")
                if btype == "text" and block.get("text"):
                    out.append(TextDelta(block["text"]))
                elif btype == "thinking" and block.get("thinking"):
                    out.append(ThinkingDelta(block["thinking"]))
                elif btype == "tool_use":
                    out.append(
                        ToolCall(
                            str(block.get("id", "")),
                            str(block.get("name", "")),
                            block.get("input") or {},
                        )
                    )
            return out
        if kind == "user":
            content = (event.get("message") or {}).get("content")
            return (
                [
                    ToolResult(
                        str(b.get("tool_use_id", "")),
                        content_text(b.get("content")),
                        bool(b.get("is_error")),
                    )
                    for b in content
                    if isinstance(b, dict) and b.get("type") == "tool_result"
                ]
                if isinstance(content, list)
                else []
            )
        if kind == "result":
            return self._result(event)
        return []

    @staticmethod
    def _result(event: dict[str, Any]) -> list[ProviderEvent]:
        usage = event.get("usage") or {}
        tokens_in = sum(
            int(usage.get(k) or 0)
            for k in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        )
        cost = event.get("total_cost_usd", event.get("cost_usd"))
        out: list[ProviderEvent] = [
            UsageReport(
                Usage(
                    tokens_in if usage else None,
                    usage.get("output_tokens"),
                    float(cost) if cost is not None else None,
                )
            )
        ]
        # an API failure can arrive as subtype "success" with is_error true
        if event.get("is_error") or event.get("subtype") != "success":
            detail = (
                event.get("result")
                or "; ".join(map(str, event.get("errors") or ()))
                or event.get("subtype", "error")
            )
            out.append(Failed(f"claude: {detail}"[:500]))
        else:
            out.append(Done(str(event.get("stop_reason") or "end_turn")))
        return out
