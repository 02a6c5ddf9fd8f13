"""Agent tools: a registry, a confined workspace, permissions, and running one call."""

from tui.engine.tools.base import Tool, ToolContext, ToolOutcome, ToolSpec
from tui.engine.tools.permissions import (
    Approver,
    Decision,
    PermissionPolicy,
    PermissionRequest,
    Verdict,
    nobody_approves,
)
from tui.engine.tools.registry import BUILTIN_TOOLS, READ_ONLY, ToolRegistry
from tui.engine.tools.runner import execute
from tui.engine.tools.workspace import ToolError, Workspace

__all__ = [
    "BUILTIN_TOOLS",
    "READ_ONLY",
    "Approver",
    "Decision",
    "PermissionPolicy",
    "PermissionRequest",
    "Tool",
    "ToolContext",
    "ToolError",
    "ToolOutcome",
    "ToolRegistry",
    "ToolSpec",
    "Verdict",
    "Workspace",
    "execute",
    "nobody_approves",
]
