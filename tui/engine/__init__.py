"""forktree's engine: sessions as branches of a message tree. Never imports Textual.

The names below load on first use (PEP 562): importing a light part of the engine
(paths, settings, an error type) does not load the whole engine with it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.engine.engine import Engine
    from tui.engine.errors import ForktreeError, InvalidInputError
    from tui.engine.sessions.model import Message, MessageStatus, Role, Session, SessionStatus

_HOME = {
    "Engine": "tui.engine.engine",
    "ForktreeError": "tui.engine.errors",
    "InvalidInputError": "tui.engine.errors",
    "Message": "tui.engine.sessions.model",
    "MessageStatus": "tui.engine.sessions.model",
    "Role": "tui.engine.sessions.model",
    "Session": "tui.engine.sessions.model",
    "SessionStatus": "tui.engine.sessions.model",
}

__all__ = [
    "Engine",
    "ForktreeError",
    "InvalidInputError",
    "Message",
    "MessageStatus",
    "Role",
    "Session",
    "SessionStatus",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'tui.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
