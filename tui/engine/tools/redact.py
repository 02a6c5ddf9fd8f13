"""Keeps secrets out of what tools run and return: keys never reach a command's
environment, and a key's value in any output is blanked before it is stored."""

from __future__ import annotations

import re
from collections.abc import Mapping

SECRET_NAME = re.compile(r"(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$", re.I)
MIN_SECRET = 8  # shorter values would blank ordinary words


def is_secret(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def safe_env(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without variables whose names say they hold a secret."""
    return {k: v for k, v in env.items() if not is_secret(k)}


def secret_values(env: Mapping[str, str]) -> list[str]:
    return sorted(
        {v for k, v in env.items() if is_secret(k) and len(v) >= MIN_SECRET}, key=len, reverse=True
    )


def redact(text: str, secrets: list[str]) -> str:
    for value in secrets:
        if value in text:
            text = text.replace(value, "[redacted]")
    return text
