"""The provider protocol: a request in, a cancellable stream of events out."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Protocol

from tui.engine.errors import ForktreeError
from tui.engine.sessions.events import ProviderEvent
from tui.engine.sessions.model import Message
from tui.engine.tools.base import ToolSpec


@dataclass(frozen=True, slots=True)
class ProviderRequest:
    """What a provider needs for one reply: the transcript so far and the settings."""

    messages: tuple[Message, ...]
    model: str | None = None
    system_prompt: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    # for agents that keep their own session (Claude Code): which one, where, and fork it?
    resume_id: str | None = None
    cwd: str | None = None
    fork: bool = False
    tools: tuple[ToolSpec, ...] = ()  # offered to the model, when the provider can call tools


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a provider can do: the engine asks these instead of checking names."""

    tools: bool = False  # takes forktree's tools in the request and streams their calls
    native_sessions: bool = False  # the agent keeps its own session: resumed by its id
    resumes_from_end_only: bool = False  # ...and can continue that session only from its end
    priced: bool = True  # a reply's cost comes from the price table when it does not say it
    titles: bool = True  # worth asking for a short title after the first reply
    forks_at_head: bool = True  # (agents) a fork at the session's end goes on natively
    fork_hint: str = ""  # (agents) how to fork its session by hand, where forktree cannot


HTTP_API = Capabilities(tools=True)  # Anthropic and OpenAI-compatible servers
AGENT_CLI = Capabilities(
    native_sessions=True, resumes_from_end_only=True, priced=False, titles=False
)  # Claude Code: its own tools, sessions and costs
CODEX_CLI = Capabilities(
    native_sessions=True, resumes_from_end_only=True, priced=False, titles=False,
    forks_at_head=False, fork_hint="`codex fork` forks it in a terminal",
)  # fmt: skip  # Codex: `codex exec` resumes a thread but cannot fork it unattended
OFFLINE = Capabilities(titles=False)  # the echo provider: nothing worth titling


class Provider(Protocol):
    """Streams one reply. Cancelling the iteration stops the underlying request."""

    name: str
    default_model: str
    capabilities: Capabilities

    def stream(self, request: ProviderRequest) -> AsyncGenerator[ProviderEvent, None]: ...


class ProviderError(ForktreeError):
    """A provider is unknown or cannot be used; the message says why."""
