"""The storage interface the engine is written against; backends plug in behind it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from tui.engine.sessions.model import Message, Session, SessionRow


class SessionStore(Protocol):
    """Sessions (branch heads and metadata) and the messages of each session family.

    A family is every session sharing one root session; its messages live together so
    forks and reverts never copy. All writes happen inside `transaction()`, which holds
    the cross-process lock and commits every file it touched atomically on exit.
    """

    problems: list[str]
    home: Path  # a folder for this store's local files: the search index, logs

    def transaction(self) -> AbstractContextManager[None]: ...

    def list_sessions(self) -> list[Session]: ...

    def list_rows(self) -> list[SessionRow]: ...

    def get_session(self, session_id: str) -> Session: ...

    def match_sessions(self, prefix: str) -> list[Session]: ...

    def put_session(self, session: Session) -> None: ...

    def remove_session(self, session: Session) -> None: ...

    def family_sessions(self, root_id: str) -> list[Session]: ...

    def get_message(self, root_id: str, message_id: str) -> Message: ...

    def family_message_ids(self, root_id: str) -> Iterator[str]: ...

    def put_messages(self, root_id: str, messages: Iterable[Message]) -> None: ...

    def remove_messages(self, root_id: str, message_ids: Iterable[str]) -> None: ...

    def close(self) -> None: ...
