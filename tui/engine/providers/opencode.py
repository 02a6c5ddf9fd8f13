"""OpenCode as a provider: `opencode run --format json --session <id> -- <prompt>` in
the session's folder (with `--fork` for a fork at the session's end; an earlier fork
point is forked first by OpenCode's server, `providers/opencode_server.py`), its lines
mapped: `text`, `tool_use` (a finished call, input and output), `step_finish` (tokens,
cost; a reason other than `tool-calls` ends the run) and `error`."""

from __future__ import annotations

from typing import Any

from tui.engine.providers.agent_cli import AgentCLI, LineMapper, json_event, last_prompt
from tui.engine.providers.base import Capabilities, ProviderRequest
from tui.engine.sessions.events import (
    Done,
    Failed,
    ProviderEvent,
    SessionBound,
    TextDelta,
    ToolCall,
    ToolResult,
    UsageReport,
)
from tui.engine.sessions.model import Usage

INSTALL_HINT = (
    "the `opencode` command was not found on PATH; install OpenCode with "
    "`npm install -g opencode-ai` (or set FORKTREE_OPENCODE_BIN)"
)
OPENCODE_CLI = Capabilities(
    native_sessions=True, resumes_from_end_only=True, priced=False, titles=False,
    fork_hint="forktree forks imported OpenCode sessions at any message through OpenCode's "
    "own server (`forktree import opencode` brings a session in)",
)  # fmt: skip


class OpenCodeProvider(AgentCLI):
    """One `opencode run` process per turn; the prompt is its last argument."""

    name = "opencode"
    label = "opencode"
    default_model = "opencode-default"
    capabilities = OPENCODE_CLI
    install_hint = INSTALL_HINT
    binary_env = "FORKTREE_OPENCODE_BIN"
    stdin_prompt = False

    def argv(self, request: ProviderRequest, binary: str) -> list[str]:
        args = [binary, "run", "--format", "json"]
        if request.model and "/" in request.model:  # OpenCode's `provider/model` names
            args += ["--model", request.model]
        if request.resume_id:
            args += ["--session", request.resume_id]
            if request.fork:
                args.append("--fork")
        return [*args, "--", last_prompt(request)]  # after --: never read as a flag

    def mapper(self) -> LineMapper:
        bound: list[str] = []  # the session id, once told (this turn)
        return lambda line: self._map(line, bound)

    @staticmethod
    def _map(line: bytes, bound: list[str]) -> list[ProviderEvent]:
        event = json_event(line)
        if event is None:
            return []
        out: list[ProviderEvent] = []
        session = event.get("sessionID")
        if isinstance(session, str) and not bound:
            bound.append(session)
            out.append(SessionBound(session))
        part = _table(event, "part")
        kind = event.get("type")
        if kind == "text" and isinstance(part.get("text"), str):
            out.append(TextDelta(part["text"]))
        elif kind == "tool_use":
            state = _table(part, "state")
            call = str(part.get("callID") or part.get("id") or "")
            out.append(ToolCall(call, str(part.get("tool") or "tool"), _table(state, "input")))
            failed = state.get("status") == "error"
            output = state.get("error") if failed else state.get("output")
            text = output if isinstance(output, str) else str(output or "")
            out.append(ToolResult(call, text, failed))
        elif kind == "step_finish":
            tokens = _table(part, "tokens")
            cache = _table(tokens, "cache")
            cost = part.get("cost")
            usage_in = sum(
                int(v or 0) for v in (tokens.get("input"), cache.get("read"), cache.get("write"))
            )
            spent = float(cost) if isinstance(cost, int | float) else None
            out.append(UsageReport(Usage(usage_in, tokens.get("output"), spent)))
            if part.get("reason") != "tool-calls":
                out.append(Done(str(part.get("reason") or "stop")))
        elif kind == "error":
            error = event.get("error")
            detail = error.get("message") if isinstance(error, dict) else error
            out.append(Failed(f"opencode: {detail or 'the run failed'}"[:500]))
        return out


def _table(obj: dict[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}
