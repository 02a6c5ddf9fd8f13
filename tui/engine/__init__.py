"""forktree's engine: sessions as branches of a message tree. Never imports Textual."""

from .engine import Engine
from .errors import ForktreeError, InvalidInputError
from .model import Message, MessageStatus, Role, Session, SessionStatus

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
