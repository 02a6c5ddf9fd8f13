"""What a tool is: the spec the model sees, how it runs, and whether it needs asking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.engine.tools.workspace import ToolError, Workspace


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """What the model is told about a tool (each provider sends it in its own format)."""

    name: str
    description: str
    input_schema: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    content: str
    is_error: bool = False
    exit_code: int | None = None


OutputSink = Callable[[str], Awaitable[None]]


async def _discard(text: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class ToolContext:
    """Where a tool runs and where its live output goes."""

    workspace: Workspace
    on_output: OutputSink = _discard
    env: Mapping[str, str] = field(default_factory=dict)
    shell_timeout: float = 120.0
    secrets: tuple[str, ...] | None = None  # values to blank in output (None: from os.environ)


Runner = Callable[[dict[str, Any], ToolContext], Awaitable[ToolOutcome]]


@dataclass(frozen=True, slots=True)
class Tool:
    """A tool the model may call. `writes` marks one that changes files or runs
    commands: it always needs the user's allow."""

    spec: ToolSpec
    run: Runner
    writes: bool
    describe: Callable[[dict[str, Any]], str] = lambda args: ""

    @property
    def name(self) -> str:
        return self.spec.name


def arg_str(args: dict[str, Any], name: str, default: str | None = None) -> str:
    value = args.get(name, default)
    if not isinstance(value, str):
        if value is None:
            raise ToolError(f"missing argument {name!r}")
        raise ToolError(f"argument {name!r} must be a string")
    return value


def arg_int(args: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = args.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ToolError(f"argument {name!r} must be a number")
    return max(low, min(high, int(value)))
