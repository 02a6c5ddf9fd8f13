"""Who may run what: read-only tools the settings allow run at once; everything else,
and every tool that writes or runs a command, waits for the user's answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tui.engine.tools.base import Tool


class Decision(StrEnum):
    ALLOW_ONCE = "allow_once"
    ALLOW_ALWAYS = "allow_always"  # this tool, for the rest of this session's run
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Verdict:
    decision: Decision
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.decision is not Decision.REJECT


@dataclass(frozen=True, slots=True)
class PermissionRequest:
    """What the user is asked about: one tool call, in words and in full."""

    session_id: str
    tool_id: str
    name: str
    input: dict[str, Any]
    summary: str
    writes: bool
    folder: str


Approver = Callable[[PermissionRequest], Awaitable[Verdict]]


async def nobody_approves(request: PermissionRequest) -> Verdict:
    """The approver when no one can answer (a script, no terminal): reject."""
    return Verdict(Decision.REJECT, "no one was there to approve it")


class PermissionPolicy:
    """Deny by default. `auto_allow` names read-only tools that need no asking
    (tools that write or run are never allowed by settings alone)."""

    def __init__(self, auto_allow: Iterable[str] = ()) -> None:
        self.auto_allow = frozenset(auto_allow)
        self.always: set[str] = set()

    def needs_asking(self, tool: Tool) -> bool:
        if tool.name in self.always:
            return False
        return tool.writes or tool.name not in self.auto_allow

    def record(self, tool: Tool, verdict: Verdict) -> None:
        if verdict.decision is Decision.ALLOW_ALWAYS:
            self.always.add(tool.name)
