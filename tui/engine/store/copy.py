"""Copy everything from one store to another, losslessly: every session doc (ids, trees,
checkpoints, options, totals) and every message of every family, as they are.

Family by family, each in one transaction on the target, so a kill leaves whole
families copied and the rest untouched; running it again skips families the target
already holds in full (resumable). Families are read one at a time: memory stays flat."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from tui.engine.sessions.model import Message, Session
from tui.engine.store.protocol import SessionStore

Progress = Callable[[int, int], None]  # (families done, families in all)


@dataclass
class CopyReport:
    families: int = 0
    copied: int = 0  # families written this run
    skipped: int = 0  # already there in full (a resumed copy)
    sessions: int = 0
    messages: int = 0


BATCH_MESSAGES = 5_000  # messages per target transaction


def copy_store(
    source: SessionStore, target: SessionStore, progress: Progress | None = None
) -> CopyReport:
    """Copy every family of `source` into `target` (see the module's docstring)."""
    by_family: dict[str, list[str]] = {}
    for row in source.list_rows():
        by_family.setdefault(row.root_id, []).append(row.id)
    report = CopyReport(families=len(by_family))
    there = {s.id: s for s in target.list_sessions()}  # what a resumed copy has already
    with getattr(target, "bulk_load", nullcontext)():
        _copy(source, target, by_family, there, report, progress)
    return report


def _copy(
    source: SessionStore,
    target: SessionStore,
    by_family: dict[str, list[str]],
    there: dict[str, Session],
    report: CopyReport,
    progress: Progress | None,
) -> None:
    batch: list[tuple[str, list[Any], list[Session]]] = []
    size = 0
    for done, root_id in enumerate(sorted(by_family), 1):
        sessions = source.family_sessions(root_id)
        report.sessions += len(sessions)
        if all(there.get(s.id) == s for s in sessions) and _has_all(source, target, root_id):
            report.skipped += 1
        else:
            docs = _docs(source, root_id)
            batch.append((root_id, docs, sessions))
            size += len(docs)
            report.copied += 1
            report.messages += len(docs)
        if size >= BATCH_MESSAGES:
            _write(target, batch)
            batch, size = [], 0
        if progress:
            progress(done, report.families)
    _write(target, batch)


def _has_all(source: SessionStore, target: SessionStore, root_id: str) -> bool:
    return set(target.family_message_ids(root_id)) >= set(source.family_message_ids(root_id))


def _docs(store: SessionStore, root_id: str) -> list[Any]:
    """The family's messages: raw documents where the store gives them (fast), else
    decoded messages."""
    reader = getattr(store, "family_docs", None)
    if reader is not None:
        return list(reader(root_id))
    return [store.get_message(root_id, mid) for mid in store.family_message_ids(root_id)]


def _write(target: SessionStore, batch: list[tuple[str, list[Any], list[Session]]]) -> None:
    """One transaction for the batch: whole families, or none of them."""
    if not batch:
        return
    bulk = getattr(target, "put_docs", None)
    if bulk is not None:
        rows = [(root, d if isinstance(d, dict) else d.to_dict()) for root, docs, _ in batch
                for d in docs]  # fmt: skip
        bulk(rows, [s for _, _, sessions in batch for s in sessions])
        return
    with target.transaction():
        for root_id, docs, sessions in batch:
            messages = [d if isinstance(d, Message) else Message.from_dict(d) for d in docs]
            target.put_messages(root_id, messages)
            for session in sessions:
                target.put_session(session)
