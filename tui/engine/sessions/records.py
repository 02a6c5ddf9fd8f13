"""Checks for the fields of a stored or imported record, so a damaged or hand-edited
file is named and skipped instead of crashing whoever reads it."""

from __future__ import annotations

import math
from typing import Any

MAX_ID = 200


class BadRecordError(ValueError):
    """A record's field has the wrong type or an impossible value; the message says which."""


def record_id(value: object, what: str = "id") -> str:
    """An id: a non-empty string of at most 200 printable characters, no path separator."""
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise BadRecordError(f"{what} is {value!r:.60}, not an id")
    if "/" in value or "\\" in value or not value.isprintable():
        raise BadRecordError(f"{what} {value!r:.60} is not an id")
    return value


def opt_id(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else record_id(value, key)


def time_of(data: dict[str, Any], key: str) -> float:
    """A time stamp: a finite number (missing: 0)."""
    value = data.get(key, 0.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadRecordError(f"{key} is {value!r:.60}, not a time")
    return float(value)


MAX_COUNT = 2**53  # beyond it a count is damage (and no longer a JSON-safe number)


def count_of(data: dict[str, Any], key: str, default: int = 0) -> int:
    """A whole number from 0 to 2**53 (missing: `default`)."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise BadRecordError(f"{key} is {value!r:.60}, not a count")
    return value


def number_of(data: dict[str, Any], key: str, default: float = 0.0) -> float:
    """A finite number (missing: `default`)."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadRecordError(f"{key} is {value!r:.60}, not a number")
    return float(value)


def opt_text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRecordError(f"{key} is {value!r:.60}, not text")
    return value
