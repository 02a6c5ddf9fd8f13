"""Short human strings shared by the CLI and the app: ages, counts, money."""

from __future__ import annotations

import time


def age(ts: float, now: float | None = None) -> str:
    """'now', '5m', '3h', '2d', '7w', '1y'."""
    seconds = max(0.0, (now if now is not None else time.time()) - ts)
    for unit, size in (("y", 31536000), ("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return "now"


def tokens(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M"
    if count >= 1_000:
        return f"{count / 1_000:.1f}k"
    return str(count)


def money(usd: float) -> str:
    if usd == 0:
        return "$0"
    return f"${usd:.4f}" if usd < 0.01 else f"${usd:.2f}"


def terminal_safe(text: str) -> str:
    """Untrusted text (model, tool, server, file or import text) made safe to show: every
    control or format character (escape sequences, carriage returns, bells, NUL, bidi
    overrides) is shown as a visible escape such as `\\r` or `\\x1b`, never interpreted;
    newlines and tabs stay. The one function every place that prints or shows it uses."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else _visible(ch) for ch in text)


def _visible(ch: str) -> str:
    if ch == "\r":
        return "\\r"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
