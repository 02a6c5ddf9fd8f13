"""A Claude Code file group parsed in a worker process (see importers/bulk.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.engine.importers.bulk import Encoded
from tui.engine.importers.claude_code_families import build_families
from tui.engine.importers.claude_code_parse import TranscriptParser
from tui.engine.importers.jsonl import parse_files
from tui.engine.store.atomic import stage
from tui.engine.store.tinydb_files import encode_family


@dataclass
class Prepared:
    """What a worker made of one file (and its subagent files)."""

    families: list[Encoded] = field(default_factory=list)
    forks: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    failed: str = ""  # why the file could not be read, if it could not


def prepare(paths: list[str], source: str, folder: str) -> Prepared:
    """Read, parse and encode one file group into `folder` (runs in a worker)."""
    parsed, why = parse_files([Path(p) for p in paths], TranscriptParser())
    if parsed is None:
        return Prepared(failed=why)
    built = build_families(parsed, source)
    families = [
        # not synced here: the commit syncs the files of each batch in threads at once
        Encoded(f.root_id, docs, stage(encode_family(docs, f.docs()), folder, sync=False),
                len(f.nodes))
        for f in built.families
        for docs in ([s.to_dict() for s in f.sessions],)
    ]  # fmt: skip
    return Prepared(families, built.forks, parsed.skipped)
