"""A real HTTP server on 127.0.0.1 that replays scripted responses (SSE streams, errors,
stalls, dropped connections) and records what it was sent. Never touches the network."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted response. `chunks` are sent with chunked encoding; `drop_after`
    closes the socket after that many chunks without finishing; `stall` waits before
    the headers; `gap` waits between chunks."""

    status: int = 200
    chunks: list[bytes] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    drop_after: int | None = None
    stall: float = 0.0
    gap: float = 0.0


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: Any


class FakeServer:
    """Serves `replies` in order (the last one repeats); `seen` lists the requests."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.seen: list[Seen] = []
        self._last: Reply | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                server.seen.append(Seen(self.path, dict(self.headers), body))
                reply = server.next_reply()
                if reply.stall:
                    time.sleep(reply.stall)
                self.send_response(reply.status)
                content_type = "text/event-stream" if reply.status < 300 else "application/json"
                self.send_header("content-type", content_type)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("transfer-encoding", "chunked")
                self.send_header("connection", "close")
                self.end_headers()
                try:
                    for i, chunk in enumerate(reply.chunks):
                        if reply.drop_after is not None and i >= reply.drop_after:
                            self.connection.shutdown(socket.SHUT_RDWR)
                            return
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        self.wfile.flush()
                        if reply.gap:
                            time.sleep(reply.gap)
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def next_reply(self) -> Reply:
        if self.replies:
            self._last = self.replies.popleft()
        return self._last or Reply(500, [b'{"error": {"message": "no reply scripted"}}'])

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def sse(events: list[tuple[str | None, Any]]) -> list[bytes]:
    """SSE chunks, one event each: (event name or None, data as JSON-able or raw str)."""
    out = []
    for name, data in events:
        payload = data if isinstance(data, str) else json.dumps(data)
        head = f"event: {name}\n" if name else ""
        out.append(f"{head}data: {payload}\n\n".encode())
    return out
