"""The file tools: read, list, search (read-only) and write, edit (asking first)."""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import Any

from tui.engine.store.atomic import write_atomic
from tui.engine.tools.base import Tool, ToolContext, ToolOutcome, ToolSpec, arg_int, arg_str
from tui.engine.tools.workspace import ToolError

MAX_READ_CHARS = 200_000
MAX_ENTRIES = 500
MAX_MATCHES = 200
MAX_SEARCH_BYTES = 5_000_000
SNIFF = 8192


def _is_binary(path: Path) -> bool:
    with path.open("rb") as f:
        return b"\0" in f.read(SNIFF)


def _path_schema(what: str) -> dict[str, Any]:
    return {"type": "string", "description": f"{what}, relative to the session's folder"}


async def read_file(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    path = ctx.workspace.resolve(arg_str(args, "path"))
    if not path.is_file():
        raise ToolError(f"{ctx.workspace.relative(path)}: no such file")
    if _is_binary(path):
        raise ToolError(f"{ctx.workspace.relative(path)}: a binary file; not shown")
    offset = arg_int(args, "offset", 1, 1, 10**9)
    limit = arg_int(args, "limit", 2000, 1, 100_000)
    lines: list[str] = []
    size = 0
    more = 0
    with path.open(encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            if number < offset:
                continue
            if len(lines) >= limit or size + len(line) > MAX_READ_CHARS:
                more += 1
                continue
            lines.append(line)
            size += len(line)
    text = "".join(lines)
    if more:
        last = offset + len(lines) - 1
        text += f"\n[… {more} more lines; read on with offset={last + 1}]"
    return ToolOutcome(text)


async def list_dir(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    path = ctx.workspace.resolve(arg_str(args, "path", "."))
    if not path.is_dir():
        raise ToolError(f"{ctx.workspace.relative(path)}: not a folder")
    rows: list[str] = []
    entries = sorted(os.scandir(path), key=lambda e: (not e.is_dir(), e.name))
    for entry in entries[:MAX_ENTRIES]:
        if entry.is_symlink():
            rows.append(f"{entry.name} -> {os.readlink(entry.path)}")
        elif entry.is_dir():
            rows.append(f"{entry.name}/")
        else:
            rows.append(f"{entry.name}  {entry.stat().st_size:,} B")
    if len(entries) > MAX_ENTRIES:
        rows.append(f"[… {len(entries) - MAX_ENTRIES} more entries]")
    return ToolOutcome("\n".join(rows) if rows else "(empty folder)")


def _glob_match(rel: str, pattern: str) -> bool:
    if fnmatch.fnmatch(rel, pattern):
        return True
    if pattern.startswith("**/") and fnmatch.fnmatch(rel, pattern[3:]):
        return True
    return "/" not in pattern and fnmatch.fnmatch(rel.rsplit("/", 1)[-1], pattern)


async def search_files(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    ws = ctx.workspace
    start = ws.resolve(arg_str(args, "path", "."))
    pattern = arg_str(args, "glob", "*")
    text = args.get("text")
    if text is not None and not isinstance(text, str):
        raise ToolError("argument 'text' must be a string")
    try:
        regex = re.compile(text) if text else None
    except re.error:
        regex = re.compile(re.escape(text or ""))
    found: list[str] = []
    for file in ws.walk(start):
        rel = file.relative_to(start).as_posix()
        if not _glob_match(rel, pattern):
            continue
        if file.is_symlink() and not ws.contains(file.resolve()):
            continue  # a link out of the workspace is not followed
        if regex is None:
            found.append(ws.relative(file))
        elif file.is_file() and file.stat().st_size <= MAX_SEARCH_BYTES and not _is_binary(file):
            with file.open(encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    if regex.search(line):
                        found.append(f"{ws.relative(file)}:{number}: {line.strip()[:300]}")
                        if len(found) > MAX_MATCHES:
                            break
        if len(found) > MAX_MATCHES:
            break
    if not found:
        return ToolOutcome("no matches")
    if len(found) > MAX_MATCHES:
        found = [*found[:MAX_MATCHES], f"[… stopped after {MAX_MATCHES} matches]"]
    return ToolOutcome("\n".join(found))


async def write_file(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    path = ctx.workspace.resolve(arg_str(args, "path"))
    content = arg_str(args, "content")
    if path.is_dir():
        raise ToolError(f"{ctx.workspace.relative(path)}: is a folder")
    existed = path.exists()
    write_atomic(str(path), content.encode("utf-8"), keep_mode=True)
    lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
    verb = "replaced" if existed else "created"
    return ToolOutcome(f"{verb} {ctx.workspace.relative(path)} ({lines} lines)")


async def edit_file(args: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
    path = ctx.workspace.resolve(arg_str(args, "path"))
    old, new = arg_str(args, "old_text"), arg_str(args, "new_text")
    if not old:
        raise ToolError("old_text is empty; use write_file to create a file")
    if not path.is_file():
        raise ToolError(f"{ctx.workspace.relative(path)}: no such file")
    text = path.read_text(encoding="utf-8")
    count = text.count(old)
    if count == 0:
        raise ToolError(f"{ctx.workspace.relative(path)}: old_text not found")
    if count > 1 and not args.get("replace_all"):
        raise ToolError(
            f"{ctx.workspace.relative(path)}: old_text occurs {count} times; "
            "include more context or set replace_all"
        )
    write_atomic(str(path), text.replace(old, new).encode("utf-8"), keep_mode=True)
    return ToolOutcome(f"edited {ctx.workspace.relative(path)} ({count} replacement(s))")


def _path_of(args: dict[str, Any]) -> str:
    return str(args.get("path") or ".")


FILE_TOOLS = (
    Tool(
        ToolSpec(
            "read_file",
            "Read a text file. Long files come in pages: pass offset (first line, 1-based) "
            "and limit (lines).",
            {
                "type": "object",
                "properties": {
                    "path": _path_schema("the file"),
                    "offset": {"type": "integer", "minimum": 1},
                    "limit": {"type": "integer", "minimum": 1},
                },
                "required": ["path"],
            },
        ),
        read_file,
        writes=False,
        describe=lambda a: f"read {_path_of(a)}",
    ),
    Tool(
        ToolSpec(
            "list_dir",
            "List a folder: sub-folders end with '/', files show their size.",
            {"type": "object", "properties": {"path": _path_schema("the folder")}},
        ),
        list_dir,
        writes=False,
        describe=lambda a: f"list {_path_of(a)}",
    ),
    Tool(
        ToolSpec(
            "search_files",
            "Find files by glob (e.g. '**/*.py') and, with 'text', the lines matching a "
            "regular expression in them (file:line: text).",
            {
                "type": "object",
                "properties": {
                    "glob": {"type": "string", "description": "file name pattern"},
                    "text": {"type": "string", "description": "regular expression"},
                    "path": _path_schema("the folder to search"),
                },
            },
        ),
        search_files,
        writes=False,
        describe=lambda a: (
            f"search {a.get('glob') or '*'} for {a.get('text')!r}"
            if a.get("text")
            else f"find {a.get('glob') or '*'}"
        ),
    ),
    Tool(
        ToolSpec(
            "write_file",
            "Create or replace a text file with the given content.",
            {
                "type": "object",
                "properties": {
                    "path": _path_schema("the file"),
                    "content": {"type": "string"},
                },
                "required": ["path", "content"],
            },
        ),
        write_file,
        writes=True,
        describe=lambda a: f"write {_path_of(a)}",
    ),
    Tool(
        ToolSpec(
            "edit_file",
            "Replace old_text with new_text in a file; old_text must occur exactly once "
            "unless replace_all is true.",
            {
                "type": "object",
                "properties": {
                    "path": _path_schema("the file"),
                    "old_text": {"type": "string"},
                    "new_text": {"type": "string"},
                    "replace_all": {"type": "boolean"},
                },
                "required": ["path", "old_text", "new_text"],
            },
        ),
        edit_file,
        writes=True,
        describe=lambda a: f"edit {_path_of(a)}",
    ),
)
