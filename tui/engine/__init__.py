"""forktree's engine: sessions as branches of a message tree. Never imports Textual."""

from tui.engine.engine import Engine
from tui.engine.errors import ForktreeError, InvalidInputError
from tui.engine.sessions.model import Message, MessageStatus, Role, Session, SessionStatus

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
