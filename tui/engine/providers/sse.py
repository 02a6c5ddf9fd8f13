"""Server-sent events from an httpx response: tolerant of malformed and partial lines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx


@dataclass(frozen=True, slots=True)
class SSEEvent:
    event: str
    data: str


async def iter_sse(response: httpx.Response) -> AsyncIterator[SSEEvent]:
    """Events as the spec frames them: `event:`/`data:` lines, a blank line ends one.
    Comment lines (`:`) and unknown fields are ignored, never fatal."""
    event, data = "", []
    async for line in response.aiter_lines():
        if line.startswith("data:"):  # the common case first: one check per line
            data.append(line[6:] if line.startswith("data: ") else line[5:])
        elif not line:
            if data:
                yield SSEEvent(event or "message", "\n".join(data))
            event, data = "", []
        elif line.startswith("event:"):
            event = line[6:].removeprefix(" ")
        # comments (":") and unknown fields are ignored
    if data:  # a stream that ends without the final blank line
        yield SSEEvent(event or "message", "\n".join(data))
