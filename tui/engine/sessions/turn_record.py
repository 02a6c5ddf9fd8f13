"""What a finished turn leaves on its last reply: how it ended and what it cost.

A turn is one prompt and every model request it led to (tool rounds included)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.engine.sessions.records import BadRecordError, count_of, number_of
from tui.engine.util.humanize import money, tokens


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """One turn's result: `subtype` is success, error, interrupted or error_<limit>."""

    subtype: str
    duration_s: float
    turns: int  # model requests
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    tool_calls: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "subtype": self.subtype,
            "duration_s": round(self.duration_s, 3),
            "turns": self.turns,
            "in": self.input_tokens,
            "out": self.output_tokens,
            "cost": self.cost_usd,
            "tool_calls": self.tool_calls,
        }

    @classmethod
    def from_dict(cls, data: object) -> TurnRecord | None:
        if data is None:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("subtype"), str):
            raise BadRecordError(f"result is {data!r:.60}, not a turn result")
        cost = data.get("cost")
        return cls(
            subtype=data["subtype"],
            duration_s=number_of(data, "duration_s"),
            turns=count_of(data, "turns"),
            input_tokens=count_of(data, "in"),
            output_tokens=count_of(data, "out"),
            cost_usd=None if cost is None else number_of(data, "cost"),
            tool_calls=count_of(data, "tool_calls"),
        )

    def line(self) -> str:
        """One quiet line: "✓ done · 2 requests · 3 tool calls · 1.2k/340 tok · $0.01 · 4.2s"."""
        mark = {"success": "✓ done", "interrupted": "◼ interrupted"}.get(
            self.subtype, "✗ " + self.subtype.replace("error_", "limit: ").replace("_", " ")
        )
        bits = [mark, f"{self.turns} request{'s' if self.turns != 1 else ''}"]
        if self.tool_calls:
            bits.append(f"{self.tool_calls} tool call{'s' if self.tool_calls != 1 else ''}")
        if self.input_tokens or self.output_tokens:
            bits.append(f"{tokens(self.input_tokens)}/{tokens(self.output_tokens)} tok")
        if self.cost_usd:
            bits.append(money(self.cost_usd))
        bits.append(f"{self.duration_s:.1f}s")
        return " · ".join(bits)
