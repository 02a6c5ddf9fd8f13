"""The provider protocol: a request in, a cancellable stream of events out."""

from __future__ import annotations

from collections.abc import AsyncIterator
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


class Provider(Protocol):
    """Streams one reply. Cancelling the iteration stops the underlying request."""

    name: str
    default_model: str

    def stream(self, request: ProviderRequest) -> AsyncIterator[ProviderEvent]: ...


class ProviderError(ForktreeError):
    """A provider is unknown or cannot be used; the message says why."""
