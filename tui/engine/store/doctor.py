"""`forktree doctor`: check a TinyDB store's invariants in full, and repair what breaks them.

The invariants: no commit is left half-done and no temp file lingers; every session in
a family file is listed in the index, and every listed session is in its family; every
listed session's head and all its ancestors exist; no parent chain loops; the search
index opens and covers the store. A repair never deletes a message: what it cannot put
back is written to `quarantine/` as JSON, from where it can be read or imported.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.engine.store.errors import CorruptFileError
from tui.engine.store.quarantine import set_aside_search_index
from tui.engine.store.tinydb_files import MESSAGES, SESSIONS, shard_of, str_doc, str_ids
from tui.engine.store.tinydb_store import TinyDBStore

MAX_DEPTH = 1_000_000  # a parent chain longer than this is treated as broken


@dataclass
class Finding:
    kind: str  # what is wrong: a short, stable name
    detail: str  # for a person
    fixed: str = ""  # what the repair did (empty: not repaired)

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "detail": self.detail, "fixed": self.fixed}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    sessions: int = 0
    messages: int = 0
    seconds: float = 0.0

    @property
    def open_problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.fixed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "messages": self.messages,
            "seconds": round(self.seconds, 3),
            "findings": [f.to_dict() for f in self.findings],
            "problems_left": len(self.open_problems),
        }


def doctor(store: TinyDBStore, repair: bool = False) -> Report:
    """Check every invariant; with `repair`, fix what breaks them (never losing data)."""
    started = time.monotonic()
    report = Report()
    with store.transaction():  # one writer at a time: the checks see a still store
        notes, removed = store.recover()
        if removed:
            report.findings.append(
                Finding(
                    "temp_files",
                    f"{removed} temp file(s) of writes that never committed",
                    "removed",
                )
            )
        report.findings.extend(Finding("half_commit", note, "completed") for note in notes)
        families = _families(store, report)
        index = _index(store, report)
        _check_listing(store, families, index, report, repair)
        _check_histories(store, families, report, repair)
    _check_search(store, report, repair)
    report.seconds = time.monotonic() - started
    return report


def _families(store: TinyDBStore, report: Report) -> dict[str, dict[str, dict[str, Any]]]:
    """Every family file's session docs, by root id (a damaged one is quarantined)."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted((store.home / "families").glob("*/*.json")):
        file = store._family(path.stem)
        try:
            sessions = file.raw(SESSIONS)
            report.messages += len(file.raw(MESSAGES))
        except CorruptFileError as exc:
            store._quarantine(file, exc.reason)
            report.findings.append(
                Finding("corrupt_family", f"{path}: {exc.reason}", "moved to quarantine/")
            )
            continue
        found[path.stem] = dict(sessions)
    return found


def _index(store: TinyDBStore, report: Report) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    for path in sorted((store.home / "index").glob("*.json")):
        shard = store._shard(path.stem)
        try:
            listed.update(shard.raw(SESSIONS))
        except CorruptFileError as exc:
            store._quarantine(shard, exc.reason)  # rebuilt from the families
            report.findings.append(
                Finding("corrupt_index", f"{path}: {exc.reason}", "rebuilt from the families")
            )
            listed.update(shard.raw(SESSIONS))
    report.sessions = len(listed)
    return listed


def _check_listing(
    store: TinyDBStore,
    families: dict[str, dict[str, dict[str, Any]]],
    index: dict[str, dict[str, Any]],
    report: Report,
    repair: bool,
) -> None:
    in_families = {sid: (root, doc) for root, docs in families.items() for sid, doc in docs.items()}
    for sid, (root, doc) in in_families.items():
        if sid not in index:
            finding = Finding(
                "unlisted",
                f"session {sid[:8]} is in family {root[:8]} but missing from the index: invisible",
            )
            if repair:
                store._shard(shard_of(sid)).table(SESSIONS).upsert(str_doc(dict(doc), sid))
                finding.fixed = "listed again"
            report.findings.append(finding)
    for sid, doc in index.items():
        if sid in in_families:
            continue
        root = str(doc.get("root_id", ""))
        finding = Finding(
            "listed_without_family",
            f"session {sid[:8]} is listed but its family {root[:8]} does not hold it",
        )
        if repair:
            if root in families:
                store._family(root).table(SESSIONS).upsert(str_doc(dict(doc), sid))
                finding.fixed = "put back into its family"
            else:
                target = _quarantine_json(store, f"session-{sid}", {"session": doc})
                store._shard(shard_of(sid)).table(SESSIONS).remove(doc_ids=str_ids([sid]))
                finding.fixed = f"its family file is gone; the session doc is kept in {target}"
        report.findings.append(finding)


def _check_histories(
    store: TinyDBStore,
    families: dict[str, dict[str, dict[str, Any]]],
    report: Report,
    repair: bool,
) -> None:
    for root, sessions in families.items():
        file = store._family(root)
        messages: dict[str, dict[str, Any]] = dict(file.raw(MESSAGES))
        broken_links: set[str] = set()
        for sid, doc in sessions.items():
            head = doc.get("head_id")
            if head is not None and head not in messages:
                finding = Finding(
                    "missing_head",
                    f"session {sid[:8]}: its head message {str(head)[:8]} is missing",
                )
                if repair:
                    fixed = dict(doc, head_id=None)
                    _quarantine_json(store, f"head-{sid}", {"session": doc})
                    _put_session_doc(store, root, sid, fixed)
                    finding.fixed = "head cleared (the old doc is in quarantine/); its "
                    finding.fixed += "messages stay in the family, found by search"
                report.findings.append(finding)
                continue
            current: str | None = head
            seen: set[str] = set()
            while current is not None:
                if current in seen or len(seen) > MAX_DEPTH:
                    broken_links.add(current)
                    break
                seen.add(current)
                message = messages.get(current)
                if message is None:
                    report.findings.append(
                        Finding(
                            "missing_ancestor",
                            f"session {sid[:8]}: message "
                            f"{str(current)[:8]} of its history is missing",
                        )
                    )
                    break
                current = message.get("parent_id")
        for mid in sorted(broken_links):
            finding = Finding(
                "cycle",
                f"family {root[:8]}: the history through message {mid[:8]} loops back on itself",
            )
            if repair and mid in messages:
                _quarantine_json(store, f"cycle-{mid}", {"message": messages[mid]})
                fixed = dict(messages[mid], parent_id=None, depth=0)
                file.table(MESSAGES).upsert(str_doc(fixed, mid))
                file.memo.pop(mid, None)
                finding.fixed = f"message {mid[:8]} now starts its own history (was: quarantine/)"
            report.findings.append(finding)


def _put_session_doc(store: TinyDBStore, root: str, sid: str, doc: dict[str, Any]) -> None:
    store._family(root).table(SESSIONS).upsert(str_doc(dict(doc), sid))
    shard = store._shard(shard_of(sid))
    shard.table(SESSIONS).upsert(str_doc(dict(doc), sid))
    shard.memo.clear()


def _quarantine_json(store: TinyDBStore, name: str, data: dict[str, Any]) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = store.home / "quarantine" / f"doctor-{name}-{stamp}.json"
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return target


def _check_search(store: TinyDBStore, report: Report, repair: bool) -> None:
    path = store.home / "search.sqlite3"
    if not path.exists():
        return
    try:
        db = sqlite3.connect(path)
        try:
            ok = db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        ok, reason = False, str(exc)
    else:
        reason = "failed its integrity check"
    if ok:
        return
    finding = Finding("search_index", f"{path}: {reason}")
    if repair:
        set_aside_search_index(store.home)
        finding.fixed = "moved aside; the next search rebuilds it from the store"
    report.findings.append(finding)
