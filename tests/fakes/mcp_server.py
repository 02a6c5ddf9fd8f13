"""A small real MCP server (stdio, built with the official SDK) for the tool tests."""

from __future__ import annotations

import os

from mcp.server.mcpserver import MCPServer

server = MCPServer("forktree-test")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@server.tool()
def explode(reason: str) -> str:
    """Always fails."""
    raise ValueError(f"boom: {reason}")


@server.tool()
def read_env(name: str) -> str:
    """The value of an environment variable of the server process, or 'unset'."""
    return os.environ.get(name, "unset")


if __name__ == "__main__":
    server.run()
