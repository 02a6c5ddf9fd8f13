"""A session's files, through the engine: what each branch changed, and putting a
session's folder back to a message of its transcript (with a preview, never silently)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.engine.errors import InvalidInputError
from tui.engine.files import restore
from tui.engine.files.history import FileSpan, file_changes, spans
from tui.engine.sessions.model import Session

if TYPE_CHECKING:
    from tui.engine.engine import Engine

FILE_MODES = ("conversation", "both", "files")  # what a revert or restore moves back


def folder_of(session: Session) -> Path:
    """The session's folder (where its tools work), or a clear error if it has none."""
    if not session.origin.cwd:
        raise InvalidInputError(
            f"{session.short_id} has no folder yet: its tools have never run, so there "
            "are no files to put back"
        )
    return Path(session.origin.cwd)


def undo_dir(engine: Engine) -> Path:
    return engine.store.home / "restores"


def plan_back_to(engine: Engine, session_id: str, message_ref: str) -> restore.RestorePlan:
    """What putting the session's folder back to `message_ref` would write."""
    session = engine.session(session_id)
    message = engine.message(session.id, message_ref)
    transcript = engine.transcript(session.id)
    index = next(i for i, m in enumerate(transcript) if m.id == message.id)
    return restore.plan(folder_of(session), file_changes(transcript[index + 1 :]))


def files_back_to(
    engine: Engine, session_id: str, message_ref: str, force: bool = False
) -> restore.Undo:
    """Put the folder back to `message_ref` (conflicts only with `force`); undoable."""
    plan = plan_back_to(engine, session_id, message_ref)
    return restore.apply(engine.blobs, plan, undo_dir(engine), force=force)


def undo_restore(engine: Engine, ref: str) -> list[str]:
    record = restore.load_undo(undo_dir(engine), ref)
    return restore.undo(engine.blobs, record, undo_dir(engine))


def branch_files(engine: Engine, session_id: str, since_fork: bool = True) -> list[FileSpan]:
    """The files the session changed: since its fork point, or over its whole transcript."""
    session = engine.session(session_id)
    transcript = engine.transcript(session.id)
    start = session.fork_depth + 1 if since_fork and session.fork_depth is not None else 0
    return spans(file_changes(transcript[start:]))


def plan_winner(engine: Engine, winner_id: str) -> restore.RestorePlan:
    """Carrying the winner's file changes (since its fork point) into its parent's
    folder: a file the parent changed since the fork point is a conflict."""
    winner = engine.session(winner_id)
    if winner.parent_session_id is None:
        raise InvalidInputError(f"{winner.short_id} is not a fork: it has no parent to give to")
    parent = engine.session(winner.parent_session_id)
    target = folder_of(parent)
    if folder_of(winner).resolve() == target.resolve():
        return restore.RestorePlan(str(target), ())  # one shared folder: already there
    items = tuple(
        restore.RestoreItem(
            span.path,
            target=span.end,
            expected=span.start,
            current=restore.current_hash(target, span.path),
            recorded=span.recorded,
        )
        for span in branch_files(engine, winner.id)
    )
    return restore.RestorePlan(str(target), items)


def apply_winner(engine: Engine, winner_id: str, force: bool = False) -> restore.Undo:
    """Write the winner's changes into its parent's folder (conflicts only with
    `force`); undoable like any restore."""
    return restore.apply(engine.blobs, plan_winner(engine, winner_id), undo_dir(engine), force)
