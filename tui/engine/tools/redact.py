"""Keeps secrets out of what tools run and return: keys never reach a command's
environment, and a key's value in any output is blanked before it is stored."""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Mapping

SECRET_NAME = re.compile(
    r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|AUTH|COOKIE|SESSION)$", re.I
)
MIN_SECRET = 8  # shorter values would blank ordinary words


def is_secret(name: str, extra: Collection[str] = ()) -> bool:
    """Does the variable hold a secret: by its name, or named by a provider's api_key_env."""
    return name in extra or bool(SECRET_NAME.search(name))


def safe_env(env: Mapping[str, str], extra: Collection[str] = ()) -> dict[str, str]:
    """`env` without variables that hold a secret (`extra`: names configured as keys)."""
    return {k: v for k, v in env.items() if not is_secret(k, extra)}


def secret_values(env: Mapping[str, str], extra: Collection[str] = ()) -> list[str]:
    """The secret values in `env`, longest first (so a longer key is blanked whole)."""
    return sorted(
        {v for k, v in env.items() if is_secret(k, extra) and len(v) >= MIN_SECRET},
        key=len,
        reverse=True,
    )


def hide_own_environment() -> None:
    """Make this process's /proc entries (its environment among them) unreadable by the
    commands it starts, on Linux, where a process may say it is not dumpable. A command
    running as root can still read them; elsewhere nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4, value 0
    except (OSError, AttributeError):
        pass


def redact(text: str, secrets: list[str]) -> str:
    for value in secrets:
        if value in text:
            text = text.replace(value, "[redacted]")
    return text
