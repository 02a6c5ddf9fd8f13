"""Reading an agent's JSONL files: objects line by line, bad pieces counted, never
fatal; a file that cannot be read at all becomes the reason its import failed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

import orjson

T_co = TypeVar("T_co", covariant=True)


def iter_objects(lines: Iterable[bytes]) -> Iterator[dict[str, Any] | None]:
    """JSON objects from JSONL lines; two objects glued on one line are both read.
    Yields None for each unparsable piece (counted by the caller, never fatal)."""
    decoder = json.JSONDecoder()
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            text = line.decode("utf-8", "replace")
            pos = 0
            while pos < len(text):
                try:
                    obj, end = decoder.raw_decode(text, pos)
                except (ValueError, RecursionError):  # broken, or nested too deep
                    yield None
                    break
                yield obj if isinstance(obj, dict) else None
                pos = end
                while pos < len(text) and text[pos].isspace():
                    pos += 1
            continue
        yield obj if isinstance(obj, dict) else None


class Parser(Protocol[T_co]):
    def feed(self, obj: dict[str, Any] | None) -> None: ...

    def finish(self) -> T_co: ...


def parse_files(paths: Iterable[Path], parser: Parser[T_co]) -> tuple[T_co | None, str]:
    """Every object of `paths`, in order, streamed line by line (never slurped) into
    `parser`; what it made, or None and why the files could not be read."""
    try:
        for path in paths:
            with open(path, "rb") as handle:
                for obj in iter_objects(handle):
                    parser.feed(obj)
        return parser.finish(), ""
    except OSError as exc:
        return None, f"cannot read: {exc.strerror}"
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        return None, f"unreadable ({type(exc).__name__}: {exc})"


def first_record(path: Path) -> dict[str, Any] | None:
    """The first JSON object of a JSONL file (for format detection), None if none."""
    try:
        with open(path, "rb") as handle:
            for _ in range(20):
                line = handle.readline(1 << 20)
                if not line:
                    return None
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if isinstance(obj, dict):
                    return obj
    except OSError:
        return None
    return None
