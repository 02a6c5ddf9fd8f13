"""What a session may do on its own: limits on the agent loop and the tools it is offered.

Unset fields fall back to the settings file's `[session]` defaults, then to none."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any

from tui.engine.sessions.records import BadRecordError

MAX_TURNS_LIMIT = 10_000


class OptionError(ValueError):
    """An option's value is out of range; the message says which and why."""


def check_max_turns(value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TURNS_LIMIT:
        raise OptionError(f"max turns must be a whole number from 1 to {MAX_TURNS_LIMIT}")


def check_budget(value: object) -> None:
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= 1e6
    ):
        raise OptionError("max budget must be an amount in USD, 0 or more")


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """Limits and tools for a session's turns; None means "the default"."""

    max_turns: int | None = None  # model requests per prompt (tool rounds + 1)
    max_budget_usd: float | None = None  # spend per prompt, checked before each request
    tools: bool | None = None  # offer tools at all
    allowed_tools: tuple[str, ...] | None = None  # only these tools (None: every tool)

    def __post_init__(self) -> None:
        check_max_turns(self.max_turns)
        check_budget(self.max_budget_usd)

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.allowed_tools is not None:
            data["allowed_tools"] = list(self.allowed_tools)
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: object) -> SessionOptions:
        if not data:
            return NO_OPTIONS
        if not isinstance(data, dict):
            raise BadRecordError(f"options is {data!r:.60}, not a table")
        allowed = data.get("allowed_tools")
        if allowed is not None and not (
            isinstance(allowed, list) and all(isinstance(t, str) for t in allowed)
        ):
            raise BadRecordError(f"options.allowed_tools is {allowed!r:.60}, not a list of names")
        tools = data.get("tools")
        try:
            return cls(
                max_turns=data.get("max_turns"),
                max_budget_usd=data.get("max_budget_usd"),
                tools=None if tools is None else bool(tools),
                allowed_tools=None if allowed is None else tuple(allowed),
            )
        except OptionError as exc:
            raise BadRecordError(f"options: {exc}") from exc

    def over(self, defaults: SessionOptions) -> SessionOptions:
        """These options, with `defaults` where these are unset."""
        return SessionOptions(
            **{
                f.name: d if (v := getattr(self, f.name)) is None else v
                for f in fields(self)
                for d in (getattr(defaults, f.name),)
            }
        )

    def with_changes(self, **changes: Any) -> SessionOptions:
        return replace(self, **changes)

    def describe(self) -> str:
        """One short line for people: "max 5 turns · budget $0.50 · tools: read_file"."""
        bits = []
        if self.max_turns is not None:
            bits.append(f"max {self.max_turns} turns")
        if self.max_budget_usd is not None:
            bits.append(f"budget ${self.max_budget_usd:.2f}")
        if self.tools is False:
            bits.append("no tools")
        elif self.allowed_tools is not None:
            bits.append("tools: " + (", ".join(self.allowed_tools) or "none"))
        return " · ".join(bits)


NO_OPTIONS = SessionOptions()
