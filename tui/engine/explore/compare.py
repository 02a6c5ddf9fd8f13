"""Compare two branches: the shared prefix, the two tails aligned turn by turn, word-level
differences of the text, tool calls by name and input, and per-side metrics."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tui.engine.explore.stats import count
from tui.engine.files.history import FileSpan, file_changes, spans
from tui.engine.sessions.model import Message, Role, Session, ToolUsePart
from tui.engine.sessions.tree import BranchDiff

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Turn:
    """A user message and the replies after it (a tail may start mid-turn: no prompt)."""

    prompt: Message | None
    replies: tuple[Message, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(m.text for m in self.replies if m.text)

    @property
    def tools(self) -> list[ToolUsePart]:
        return [p for m in self.replies for p in m.parts if isinstance(p, ToolUsePart)]


@dataclass(frozen=True, slots=True)
class Chunk:
    """One run of a word diff: equal, or what each side has instead."""

    op: str  # equal | replace | delete | insert
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class ToolDiff:
    name_a: str | None
    name_b: str | None
    same_input: bool


class TurnPair:
    """One turn of each side. The word diff is computed when first asked for, so opening
    a comparison of long tails costs only what is shown."""

    __slots__ = ("_chunks", "a", "b", "prompt_same", "text_same", "tools")

    def __init__(
        self, a: Turn | None, b: Turn | None, prompt_same: bool, tools: tuple[ToolDiff, ...]
    ) -> None:
        self.a, self.b, self.prompt_same, self.tools = a, b, prompt_same, tools
        self.text_same = (a.text if a else None) == (b.text if b else None)
        self._chunks: tuple[Chunk, ...] | None = None

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        if self._chunks is None:
            self._chunks = word_diff(self.a.text if self.a else "", self.b.text if self.b else "")
        return self._chunks

    @property
    def same(self) -> bool:
        return (
            self.prompt_same
            and self.text_same
            and all(t.name_a == t.name_b and t.same_input for t in self.tools)
        )


@dataclass(frozen=True, slots=True)
class SideMetrics:
    model: str | None
    turns: int
    messages: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    duration_s: float
    tool_calls: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Comparison:
    a: Session
    b: Session
    ancestor: Message | None
    shared: int
    pairs: tuple[TurnPair, ...]
    metrics_a: SideMetrics
    metrics_b: SideMetrics
    files_a: tuple[FileSpan, ...] = ()  # what each side did to the files since the fork
    files_b: tuple[FileSpan, ...] = ()

    def differences(self) -> list[int]:
        """Indexes of the turn pairs that differ (for 'next difference')."""
        return [i for i, p in enumerate(self.pairs) if not p.same]

    def to_dict(self) -> dict[str, Any]:
        def turn(t: Turn | None) -> dict[str, Any] | None:
            if t is None:
                return None
            return {
                "prompt": t.prompt.text if t.prompt else None,
                "text": t.text,
                "tools": [{"name": p.name, "input": p.input} for p in t.tools],
                "messages": [m.id for m in ([t.prompt] if t.prompt else []) + list(t.replies)],
            }

        return {
            "a": self.a.id,
            "b": self.b.id,
            "ancestor": self.ancestor.id if self.ancestor else None,
            "shared": self.shared,
            "metrics": {"a": _metrics_dict(self.metrics_a), "b": _metrics_dict(self.metrics_b)},
            "files": {
                "a": [_span_dict(s) for s in self.files_a],
                "b": [_span_dict(s) for s in self.files_b],
            },
            "turns": [
                {
                    "same": p.same,
                    "a": turn(p.a),
                    "b": turn(p.b),
                    "diff": [[c.op, c.a, c.b] for c in p.chunks],
                }
                for p in self.pairs
            ],
        }


def _metrics_dict(m: SideMetrics) -> dict[str, Any]:
    return {
        "model": m.model,
        "turns": m.turns,
        "messages": m.messages,
        "input_tokens": m.input_tokens,
        "output_tokens": m.output_tokens,
        "cost_usd": round(m.cost_usd, 6),
        "duration_s": round(m.duration_s, 3),
        "tool_calls": m.tool_calls,
    }


def turns(tail: list[Message]) -> list[Turn]:
    out: list[Turn] = []
    prompt: Message | None = None
    replies: list[Message] = []
    for message in tail:
        if message.role is Role.USER:
            if prompt is not None or replies:
                out.append(Turn(prompt, tuple(replies)))
            prompt, replies = message, []
        else:
            replies.append(message)
    if prompt is not None or replies:
        out.append(Turn(prompt, tuple(replies)))
    return out


def word_diff(a: str, b: str) -> tuple[Chunk, ...]:
    """Word-level differences (whitespace kept with the words)."""
    wa, wb = _WORDS.findall(a), _WORDS.findall(b)
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return tuple(
        Chunk(op, "".join(wa[i1:i2]), "".join(wb[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def _canon(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def tool_diff(a: list[ToolUsePart], b: list[ToolUsePart]) -> tuple[ToolDiff, ...]:
    """Tool calls paired in order: same name? same input?"""
    out = []
    for i in range(max(len(a), len(b))):
        ta = a[i] if i < len(a) else None
        tb = b[i] if i < len(b) else None
        same = ta is not None and tb is not None and _canon(ta.input) == _canon(tb.input)
        out.append(ToolDiff(ta.name if ta else None, tb.name if tb else None, same))
    return tuple(out)


def align(tail_a: list[Message], tail_b: list[Message]) -> tuple[TurnPair, ...]:
    ta, tb = turns(tail_a), turns(tail_b)
    pairs = []
    for i in range(max(len(ta), len(tb))):
        a = ta[i] if i < len(ta) else None
        b = tb[i] if i < len(tb) else None
        prompt_a = a.prompt.text if a and a.prompt else None
        prompt_b = b.prompt.text if b and b.prompt else None
        pairs.append(
            TurnPair(
                a, b, prompt_a == prompt_b, tool_diff(a.tools if a else [], b.tools if b else [])
            )
        )
    return tuple(pairs)


def metrics(session: Session, tail: list[Message]) -> SideMetrics:
    counted = count(tail)  # the same counts `forktree stats` gives
    times = [m.created for m in tail if m.created]
    models = [m.model for m in tail if m.model]
    return SideMetrics(
        model=models[-1] if models else session.model,
        turns=counted.prompts,
        messages=counted.messages,
        input_tokens=counted.input_tokens,
        output_tokens=counted.output_tokens,
        cost_usd=counted.cost_usd,
        duration_s=(max(times) - min(times)) if len(times) > 1 else 0.0,
        tool_calls=counted.per_tool,
    )


def compare(a: Session, b: Session, diff: BranchDiff) -> Comparison:
    return Comparison(
        a,
        b,
        diff.ancestor,
        diff.shared,
        align(diff.tail_a, diff.tail_b),
        metrics(a, diff.tail_a),
        metrics(b, diff.tail_b),
        tuple(spans(file_changes(diff.tail_a))),
        tuple(spans(file_changes(diff.tail_b))),
    )


def _span_dict(span: FileSpan) -> dict[str, Any]:
    return {
        "path": span.path,
        "status": span.status,
        "added": span.added,
        "removed": span.removed,
        "recorded": span.recorded,
        "before": span.start,
        "after": span.end,
    }
