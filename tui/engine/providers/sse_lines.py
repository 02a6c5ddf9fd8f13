"""Server-sent events' lines from the bytes of a response, as they arrive.

One call per network chunk, not a generator per line: each streamed token crosses this
once (httpx's `aiter_lines` stacks two more generators and a text decoder on the bytes).
"""

from __future__ import annotations


class SSELines:
    """Split byte chunks into lines: LF, CRLF or a lone CR ends one (the SSE spec's
    three line ends). A line cut between chunks, even inside a UTF-8 character or
    between its CR and LF, waits for its end; `rest()` is what never got one."""

    __slots__ = ("_after_cr", "_pending")

    def __init__(self) -> None:
        self._pending = b""
        self._after_cr = False  # the last chunk ended in CR: an LF opening the next is its

    def feed(self, chunk: bytes) -> list[str]:
        """The lines `chunk` completes, in order, without their line ends."""
        if self._after_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        self._after_cr = False
        if self._pending:
            chunk = self._pending + chunk
        if b"\r" in chunk:
            self._after_cr = chunk.endswith(b"\r")
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = chunk.rfind(b"\n")
        if end < 0:
            self._pending = chunk
            return []
        self._pending = chunk[end + 1 :]
        # an LF is never inside a UTF-8 character, so the complete lines decode whole
        return chunk[:end].decode("utf-8", "replace").split("\n")

    def rest(self) -> str:
        """The last line, had the stream ended without its line end ("" if none)."""
        rest, self._pending = self._pending, b""
        return rest.decode("utf-8", "replace")
