"""Demo data: a small, realistic tree of sessions with forks and a revert."""

from __future__ import annotations

from tui.engine.engine import Engine
from tui.engine.sessions.model import (
    Role,
    Session,
    TextPart,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
    Usage,
)
from tui.engine.sessions.turn_record import TurnRecord

DAY = 86400.0

_BILLING_CODE = """```python
@dataclass(frozen=True)
class Invoice:
    customer_id: str
    lines: tuple[Line, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))
```"""


def _usage(i: int, o: int, cost: float) -> Usage:
    return Usage(input_tokens=i, output_tokens=o, cost_usd=cost)


def _age(engine: Engine, session: Session, days: float) -> Session:
    """Date a demo session back so the tree shows realistic ages."""
    current = engine.session(session.id)
    aged = current.with_changes(
        created=current.created - days * DAY, updated=current.updated - days * DAY
    )
    engine.store.put_session(aged)
    return aged


def build_demo(engine: Engine) -> list[Session]:
    """Fill the store with three session families; returns the sessions made."""
    made: list[Session] = []

    billing = engine.new_session(
        provider="echo",
        model="demo-large",
        system_prompt="You are a careful senior Python reviewer.",
    )
    engine.append(
        billing.id,
        "user",
        "Refactor billing/invoice.py: the Invoice class is a "
        "dict of dicts and totals are computed in three places.",
    )
    engine.append(
        billing.id,
        "assistant",
        parts=[
            ThinkingPart("The user wants one source of truth for totals. Read the file first."),
            ToolUsePart("toolu_01", "read_file", {"path": "billing/invoice.py"}),
            ToolResultPart(
                "toolu_01",
                "class Invoice(dict):\n    def total(self): ...\n"
                "def invoice_total(inv): ...\ndef report_total(inv): ...",
            ),
            TextPart(
                "The file computes totals in `Invoice.total`, `invoice_total` and "
                "`report_total`. I suggest a frozen dataclass with one `total` property:\n\n"
                + _BILLING_CODE
                + "\n\nThen delete the two helpers and call `.total`."
            ),
        ],
        model="demo-large",
        usage=_usage(1840, 412, 0.0117),
    )
    engine.append(billing.id, "user", "Good. Now add VAT per line, rounded half-up.")
    engine.append(
        billing.id,
        "assistant",
        "Add `vat_rate` to `Line` and round each line "
        "with `quantize(Decimal('0.01'), ROUND_HALF_UP)` before summing, so the "
        "invoice total equals the sum of the printed lines.",
        model="demo-large",
        usage=_usage(2320, 156, 0.0093),
    )
    first_answer = engine.transcript(billing.id)[1]
    attrs = engine.fork(
        billing.id, at=first_answer.id, title="Billing: try attrs instead", model="demo-small"
    )
    engine.append(attrs.id, "user", "Would attrs be a better fit than dataclasses here?")
    engine.append(
        attrs.id,
        "assistant",
        "Only if you need validators: `attrs` gives you "
        "`@define` with converters, so `Decimal` parsing moves into the class.",
        model="demo-small",
        usage=_usage(1990, 98, 0.0011),
    )
    made += [_age(engine, billing, 2), _age(engine, attrs, 1.5)]

    rust = engine.new_session(title="Explain Rust lifetimes", model="demo-large")
    engine.append(rust.id, "user", "Explain Rust lifetimes like I know C++ well.")
    engine.append(
        rust.id,
        "assistant",
        "A lifetime is the compiler's name for *how long a "
        "borrow is valid*. Where C++ trusts you not to keep a dangling `&`, Rust "
        "proves it:\n\n```rust\nfn longest<'a>(x: &'a str, y: &'a str) -> &'a str {\n"
        "    if x.len() > y.len() { x } else { y }\n}\n```",
        model="demo-large",
        usage=_usage(420, 230, 0.0041),
    )
    engine.append(rust.id, "user", "And `'static`?")
    engine.append(
        rust.id,
        "assistant",
        "`'static` means the borrow may live for the whole "
        "program: string literals, leaked boxes, or owned data with no borrows.",
        model="demo-large",
        usage=_usage(690, 61, 0.0017),
    )
    question = engine.transcript(rust.id)[2]
    engine.revert(rust.id, question.id)
    engine.append(
        rust.id,
        "assistant",
        "`'static` is a bound, not a duration: `T: 'static` "
        "means `T` holds no short-lived borrows. It does not mean *lives forever*.",
        model="demo-large",
        usage=_usage(690, 44, 0.0015),
    )
    made.append(_age(engine, rust, 0.5))

    trip = engine.new_session(title="Plan three days in Lisbon", model="demo-small")
    engine.append(trip.id, "user", "Plan three days in Lisbon in late October, no car.")
    engine.append(
        trip.id,
        "assistant",
        "**Day 1** Alfama and the castle, tram 28 early.\n"
        "**Day 2** Belém: tower, monastery, *pastéis*.\n"
        "**Day 3** Sintra by train from Rossio (40 min).",
        model="demo-small",
        usage=_usage(120, 88, 0.0003),
    )
    made.append(engine.session(trip.id))
    for session in made:
        _results(engine, session)
    return made


def _results(engine: Engine, session: Session) -> None:
    """Each demo turn's result on its reply, as a real run records it."""
    for reply in engine.transcript(session.id):
        if reply.role is not Role.ASSISTANT or reply.result is not None:
            continue
        record = TurnRecord(
            subtype="success",
            duration_s=1.0 + (reply.usage.output_tokens or 0) / 60,
            turns=1,
            input_tokens=reply.usage.input_tokens or 0,
            output_tokens=reply.usage.output_tokens or 0,
            cost_usd=reply.usage.cost_usd,
            tool_calls=sum(1 for p in reply.parts if p.kind == "tool_use"),
        )
        engine.record_turn(session.id, reply.id, record)
