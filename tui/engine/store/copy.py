"""Copy everything from one store to another, losslessly: every session doc (ids, trees,
checkpoints, options, totals) and every message of every family, as they are.

Family by family, each in one transaction on the target, so a kill leaves whole
families copied and the rest untouched; running it again skips families the target
already holds in full (resumable). Families are read one at a time: memory stays flat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui.engine.sessions.model import Message
from tui.engine.store.protocol import SessionStore

Progress = Callable[[int, int], None]  # (families done, families in all)


@dataclass
class CopyReport:
    families: int = 0
    copied: int = 0  # families written this run
    skipped: int = 0  # already there in full (a resumed copy)
    sessions: int = 0
    messages: int = 0


def _family_messages(store: SessionStore, root_id: str) -> list[Message]:
    reader = getattr(store, "family_messages", None)
    if reader is not None:  # one query on a server store
        return list(reader(root_id))
    return [store.get_message(root_id, mid) for mid in store.family_message_ids(root_id)]


def copy_store(
    source: SessionStore, target: SessionStore, progress: Progress | None = None
) -> CopyReport:
    """Copy every family of `source` into `target` (see the module's docstring)."""
    by_family: dict[str, list[str]] = {}
    for row in source.list_rows():
        by_family.setdefault(row.root_id, []).append(row.id)
    report = CopyReport(families=len(by_family))
    for done, root_id in enumerate(sorted(by_family), 1):
        sessions = source.family_sessions(root_id)
        message_ids = set(source.family_message_ids(root_id))
        there = {s.id: s for s in target.family_sessions(root_id)}
        if (
            all(there.get(s.id) == s for s in sessions)
            and set(target.family_message_ids(root_id)) >= message_ids
        ):
            report.skipped += 1
        else:
            messages = _family_messages(source, root_id)
            with target.transaction():
                target.put_messages(root_id, messages)
                for session in sessions:
                    target.put_session(session)
            report.copied += 1
            report.messages += len(messages)
        report.sessions += len(sessions)
        if progress:
            progress(done, report.families)
    return report
