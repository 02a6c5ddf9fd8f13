"""What the HTTP providers share: timeouts, retries with backoff, clear error messages."""

from __future__ import annotations

import asyncio
import email.utils
import functools
import random
import ssl
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from tui.engine.providers.base import HTTP_API
from tui.engine.providers.sse_lines import SSELines
from tui.engine.sessions.events import Failed, ProviderEvent, Retrying
from tui.engine.util.humanize import terminal_safe

ProviderRequestLike = Any  # base.ProviderRequest (kept loose to avoid an import cycle)
RETRY_STATUS = {408, 409, 429, 500, 502, 503, 504, 529}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter; `retry-after` wins when the server sends it."""

    attempts: int = 4
    base: float = 0.5
    cap: float = 20.0
    max_retry_after: float = 30.0  # a longer wait asked for is an error naming it
    idle_timeout: float = 90.0  # no data for this long (keep-alives do not count): failed
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        return random.uniform(0, min(self.cap, self.base * 2**attempt))


DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=120.0, write=30.0, pool=10.0)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context per process (httpx's defaults: certifi, or SSL_CERT_FILE/DIR).
    Making one loads the CA bundle, ~50 ms that each request paid before its first token."""
    return httpx.create_ssl_context()


class ProviderHTTPError(Exception):
    """A request failed for good: the message is one clear line for the user."""

    def __init__(self, message: str, status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.retry_after: float | None = None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `retry-after` header: a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def error_detail(body: bytes) -> str:
    """The server's own error message from a JSON error body, else a short excerpt."""
    import json

    try:
        data = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace").strip()
    err = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(err, dict):
        return str(err.get("message") or err.get("type") or err)[:300]
    return str(err)[:300]


@asynccontextmanager
async def open_stream(
    client: httpx.AsyncClient,
    url: str,
    *,
    name: str,
    headers: dict[str, str],
    body: dict[str, object],
    key_source: str | None,
    api_key: str | None = None,
) -> AsyncIterator[httpx.Response]:
    """POST once and yield the streaming 2xx response; a failure is a ProviderHTTPError
    that says whether retrying could help, and the server's `retry-after`."""
    try:
        request = client.build_request("POST", url, headers=headers, json=body)
        response = await client.send(request, stream=True)
    except (
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.RemoteProtocolError,
        httpx.ReadError,
        httpx.WriteError,
    ) as exc:
        raise ProviderHTTPError(
            f"{name}: cannot reach {url} ({type(exc).__name__})", retryable=True
        ) from None
    if response.status_code < 300:
        try:
            yield response
        finally:
            await response.aclose()
        return
    raw = await response.aread()
    await response.aclose()
    status = response.status_code
    detail = error_detail(raw)
    if api_key and len(api_key) >= 8 and api_key in detail:  # a server that echoes the key
        detail = detail.replace(api_key, "[redacted]")
    if status in (401, 403):
        source = f" from {key_source}" if key_source else ""
        raise ProviderHTTPError(f"{name} rejected the API key{source} ({status}): {detail}", status)
    if status not in RETRY_STATUS:
        raise ProviderHTTPError(f"{name} error {status}: {detail}", status)
    label = "overloaded" if status == 529 else f"error {status}"
    error = ProviderHTTPError(f"{name} {label}: {detail}", status, retryable=True)
    error.retry_after = parse_retry_after(response.headers.get("retry-after"))
    raise error


UNREADABLE = (AttributeError, TypeError, KeyError, ValueError, IndexError)


class Unreadable(Exception):
    """A stream chunk the parser could not read (a type-confused or broken server)."""

    @classmethod
    def of(cls, name: str, exc: Exception, data: list[str]) -> Unreadable:
        shown = terminal_safe("\n".join(data)[:120])
        return cls(f"{name} sent a chunk forktree cannot read ({type(exc).__name__}): {shown}")


class StreamParser(Protocol):
    """Turns one SSE event into our events; `over` once nothing more is to be read."""

    over: bool

    def feed(self, event: str, data: str) -> list[ProviderEvent]: ...

    def finish(self) -> list[ProviderEvent]: ...


def body_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body's chunks as they arrive. Without a content encoding these are the
    transport's own (httpx's `aiter_bytes` adds two generators and a chunker per chunk,
    which each token of a stream crosses); else decoded by httpx."""
    if response.headers.get("content-encoding", "identity") == "identity" and isinstance(
        response.stream, httpx.AsyncByteStream
    ):
        response.is_stream_consumed = True
        return aiter(response.stream)
    return response.aiter_bytes()


async def stream_sse(
    *,
    name: str,
    url: str,
    headers: dict[str, str],
    body: dict[str, object],
    policy: RetryPolicy,
    key_source: str | None,
    timeout: httpx.Timeout,
    parser: StreamParser,
    api_key: str | None = None,
) -> AsyncGenerator[ProviderEvent, None]:
    """POST, then stream the parsed events; every failure ends in one Failed event.

    Providers return this iterator directly and the SSE framing is inline, so each
    token crosses one generator here (the streaming benchmark measures that)."""
    clock = time.monotonic  # the event loop's clock, without its method call
    read = min(timeout.read or policy.idle_timeout, policy.idle_timeout)  # a silent stall
    limits = httpx.Timeout(
        connect=timeout.connect, read=read, write=timeout.write, pool=timeout.pool
    )
    async with httpx.AsyncClient(timeout=limits, verify=tls_context()) as client:
        for attempt in range(1, policy.attempts + 1):
            began = False  # once a byte of the reply is read, nothing is retried
            try:
                async with open_stream(
                    client,
                    url,
                    name=name,
                    headers=headers,
                    body=body,
                    key_source=key_source,
                    api_key=api_key,
                ) as resp:
                    began = True
                    # SSE framing (event:/data: lines, a blank line ends an event), inline:
                    # a separate generator would cost one more hop per token. A silent
                    # server trips the read timeout; one that sends only comments
                    # (keep-alives) is caught here: only data holds off the idle deadline.
                    kind, data = "", []
                    last_data = clock()
                    lines = SSELines()
                    over = False
                    async for chunk in body_chunks(resp):
                        for line in lines.feed(chunk):
                            if line.startswith("data:"):
                                data.append(line[6:] if line.startswith("data: ") else line[5:])
                            elif not line and data:  # an event's end: one per token
                                try:
                                    events = parser.feed(
                                        kind or "message",
                                        data[0] if len(data) == 1 else "\n".join(data),
                                    )
                                except UNREADABLE as exc:
                                    raise Unreadable.of(name, exc, data) from None
                                for event in events:
                                    yield event
                                kind, data = "", []
                                last_data = clock()
                                if parser.over:
                                    over = True
                                    break
                            elif line.startswith("event:"):
                                kind = line[6:].removeprefix(" ")
                            elif clock() - last_data > policy.idle_timeout:
                                raise httpx.ReadTimeout("only keep-alives")
                            # other comment lines (":") and unknown fields are ignored
                        if over:
                            break
                    else:
                        last = lines.rest()  # a stream that ends without a line end
                        if last.startswith("data:"):
                            data.append(last[6:] if last.startswith("data: ") else last[5:])
                        if data:  # or without the final blank line
                            try:
                                events = parser.feed(kind or "message", "\n".join(data))
                            except UNREADABLE as exc:
                                raise Unreadable.of(name, exc, data) from None
                            for event in events:
                                yield event
                try:
                    events = parser.finish()
                except UNREADABLE as exc:
                    raise Unreadable.of(name, exc, []) from None
                for event in events:
                    yield event
                return
            except ProviderHTTPError as exc:
                wait = policy.delay(attempt - 1, exc.retry_after)
                if not exc.retryable or began:
                    yield Failed(str(exc), retryable=exc.retryable)
                    return
                if attempt == policy.attempts:
                    yield Failed(f"{exc} (gave up after {attempt} attempts)", retryable=True)
                    return
                if exc.retry_after is not None and exc.retry_after > policy.max_retry_after:
                    yield Failed(
                        f"{exc}; the server asks to wait {exc.retry_after:.0f}s before "
                        f"trying again (forktree waits at most {policy.max_retry_after:.0f}s): "
                        "try again later",
                        retryable=True,
                    )
                    return
                yield Retrying(str(exc), wait, attempt + 1, policy.attempts)
                await policy.sleep(wait)
            except Unreadable as exc:
                yield Failed(str(exc))
                return
            except httpx.ReadTimeout:
                yield Failed(
                    f"{name}: no data for {read:g}s; the server stalled (ReadTimeout)",
                    retryable=True,
                )
                return
            except (httpx.TransportError, httpx.StreamError) as exc:
                yield Failed(f"{name}: the stream broke ({type(exc).__name__})", retryable=True)
                return


class HTTPProvider:
    """What an HTTP provider shares: where it is, its key (kept out of repr), timeouts,
    retries, and the streaming call; subclasses say the path, headers, body and parser."""

    name = "http"
    path = ""
    capabilities = HTTP_API  # tools in the request; the model's calls come back as ToolCall

    def __init__(
        self,
        api_key: str | None,
        base_url: str,
        default_model: str,
        key_source: str | None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.default_model = default_model
        self.key_source = key_source
        self.timeout = timeout
        self.retry = retry or RetryPolicy()

    def __repr__(self) -> str:  # never show the key
        return (
            f"{type(self).__name__}(name={self.name!r}, base_url={self.base_url!r}, "
            f"model={self.default_model!r})"
        )

    def headers(self) -> dict[str, str]:
        raise NotImplementedError

    def body(self, request: ProviderRequestLike) -> dict[str, object]:
        raise NotImplementedError

    def parser(self) -> StreamParser:
        raise NotImplementedError

    def stream(self, request: ProviderRequestLike) -> AsyncGenerator[ProviderEvent, None]:
        return stream_sse(
            name=self.name,
            url=f"{self.base_url}{self.path}",
            headers=self.headers(),
            body=self.body(request),
            policy=self.retry,
            key_source=self.key_source,
            timeout=self.timeout,
            parser=self.parser(),
            api_key=self._api_key,
        )
