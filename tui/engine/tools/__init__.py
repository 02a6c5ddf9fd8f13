"""Agent tools: a registry, a confined workspace, permissions, and running one call."""

from .base import Tool, ToolContext, ToolOutcome, ToolSpec
from .permissions import (
    Approver,
    Decision,
    PermissionPolicy,
    PermissionRequest,
    Verdict,
    nobody_approves,
)
from .registry import BUILTIN_TOOLS, READ_ONLY, ToolRegistry
from .runner import execute
from .workspace import ToolError, Workspace

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
