"""Read OpenCode's storage: the SQLite database (`opencode.db`, current) or the JSON
files (`storage/…`, every older layout), into plain session, message and part objects.

Objects are told apart by their shape, not their folder, so each generation's layout
reads the same; the database's schema is read from `sqlite_master` at run time and the
file is opened read-only (OpenCode may be running)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

Obj = dict[str, Any]


@dataclass
class Storage:
    sessions: dict[str, Obj] = field(default_factory=dict)
    messages: dict[str, list[Obj]] = field(default_factory=dict)  # session id -> messages
    parts: dict[str, list[Obj]] = field(default_factory=dict)  # message id -> parts
    skipped: int = 0

    def add(self, obj: Obj) -> None:
        """File `obj` as a session, a message or a part, by its fields."""
        oid = obj.get("id")
        if not isinstance(oid, str):
            self.skipped += 1
        elif isinstance(obj.get("messageID"), str) and isinstance(obj.get("type"), str):
            self.parts.setdefault(obj["messageID"], []).append(obj)
        elif isinstance(obj.get("sessionID"), str) and obj.get("role") in ("user", "assistant"):
            self.messages.setdefault(obj["sessionID"], []).append(obj)
        elif oid.startswith("ses") and ("directory" in obj or "projectID" in obj):
            self.sessions[oid] = obj
        # projects, shares, diffs: not part of a transcript


def _camel(name: str) -> str:
    """`session_id` -> `sessionID`, `message_id` -> `messageID` (the objects' spelling)."""
    head, *rest = name.split("_")
    return head + "".join("ID" if w == "id" else w.capitalize() for w in rest)


def _rows(db: sqlite3.Connection, table: str) -> Iterator[Obj]:
    cursor = db.execute(f'SELECT * FROM "{table}"')
    keys = [_camel(d[0]) for d in cursor.description]
    for row in cursor:
        obj: Obj = {}
        columns: Obj = {}
        for key, value in zip(keys, row, strict=True):
            text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
            if isinstance(text, str) and text and (text[0] == "{" or text.lstrip()[:1] == "{"):
                try:
                    data = orjson.loads(text)
                except orjson.JSONDecodeError:
                    data = None
                if isinstance(data, dict):  # the object itself: its fields win
                    obj.update(data)
                    continue
            columns.setdefault(key, value)
        yield {**columns, **obj} if columns else obj


def read_database(path: Path) -> Storage:
    storage = Storage()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.rstrip("s").lower() in ("session", "message", "part"):
                for obj in _rows(db, table):
                    storage.add(obj)
    finally:
        db.close()
    return storage


def iter_json_values(text: str) -> Iterator[Any]:
    """Every JSON value in `text`, one after another (pretty-printed objects glued)."""
    decoder = json.JSONDecoder()
    i, end = 0, len(text)
    while i < end:
        while i < end and text[i].isspace():
            i += 1
        if i >= end:
            return
        value, i = decoder.raw_decode(text, i)
        yield value


def read_files(root: Path) -> Storage:
    storage = Storage()
    for path in sorted(root.rglob("*.json")):
        try:
            values = list(iter_json_values(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError):
            storage.skipped += 1
            continue
        for value in values:
            if isinstance(value, dict):
                storage.add(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        storage.add(item)
    return storage


def read_storage(root: Path) -> Storage:
    """OpenCode's data under `root`: its database where there is one, else its files."""
    if root.is_file():
        return read_database(root) if root.suffix == ".db" else read_files_of(root)
    database = root / "opencode.db"
    if database.is_file():
        return read_database(database)
    return read_files(root / "storage" if (root / "storage").is_dir() else root)


def read_files_of(path: Path) -> Storage:
    storage = Storage()
    for value in iter_json_values(path.read_text(encoding="utf-8")):
        if isinstance(value, dict):
            storage.add(value)
    return storage
