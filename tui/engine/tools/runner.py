"""Runs one tool call: never raises (but for cancellation), always a result part the
model can read, with every secret value from the environment blanked."""

from __future__ import annotations

import os
import time
from dataclasses import replace

from tui.engine.sessions.model import ToolResultPart, ToolUsePart
from tui.engine.tools.base import ToolContext
from tui.engine.tools.redact import redact, secret_values
from tui.engine.tools.registry import ToolRegistry
from tui.engine.tools.workspace import ToolError


async def execute(registry: ToolRegistry, call: ToolUsePart, ctx: ToolContext) -> ToolResultPart:
    """The result of `call`: its output, or an error saying what went wrong."""
    started = time.monotonic()
    secrets = list(ctx.secrets) if ctx.secrets is not None else secret_values(os.environ)
    sink = ctx.on_output

    async def safe_output(text: str) -> None:
        await sink(redact(text, secrets))

    tool = registry.get(call.name)
    exit_code: int | None = None
    if tool is None:
        content, is_error = f"unknown tool {call.name!r}", True
    elif "_unparsed" in call.input:
        content, is_error = "the tool input was not valid JSON", True
    else:
        try:
            outcome = await tool.run(dict(call.input), replace(ctx, on_output=safe_output))
            content, is_error, exit_code = outcome.content, outcome.is_error, outcome.exit_code
        except ToolError as exc:
            content, is_error = str(exc), True
        except Exception as exc:  # any failure of a tool is the model's to read, not a crash
            content, is_error = f"{call.name} failed: {type(exc).__name__}: {exc}", True
    return ToolResultPart(
        call.tool_id,
        redact(content, secrets),
        is_error,
        exit_code=exit_code,
        duration_s=round(time.monotonic() - started, 3),
    )
