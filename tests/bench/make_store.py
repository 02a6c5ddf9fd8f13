"""Make a synthetic store for benchmarks: realistic messages, tool calls and forks.

    python -m tests.bench.make_store --home DIR --sessions N --messages M [--forks F]

M is the total number of messages; each family gets M/N of them, and F of every
family's sessions are forks at a random message. Writes go straight through the
store in large transactions, so a 100k-message store takes seconds, not hours.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from tui.engine.sessions.model import (
    Message,
    Role,
    Session,
    TextPart,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
    Totals,
    Usage,
    new_id,
)
from tui.engine.store import TinyDBStore

TOPICS = ["billing", "parser", "deploy", "cache", "auth", "search", "export", "scheduler"]
PROMPTS = [
    "Why does the {t} module time out under load? Here is the trace:\n\n```\n"
    'Traceback (most recent call last):\n  File "{t}.py", line 88, in run\nTimeoutError\n```',
    "Refactor {t}.py so the retry logic lives in one place.",
    "Write tests for the {t} edge cases: empty input, unicode, and 10k items.",
    "Explain what this {t} function does, step by step.",
]
REPLY = (
    "The {t} code retries inside the loop *and* in the caller, so one slow call costs "
    "up to nine attempts. Move the policy into one helper:\n\n```python\n"
    "def with_retry(call, attempts=3, base=0.2):\n    for n in range(attempts):\n"
    "        try:\n            return call()\n        except TimeoutError:\n"
    "            time.sleep(base * 2 ** n)\n    raise\n```\n\n"
    "- keep the timeout per attempt\n- log the attempt number\n- test with a fake clock\n"
)


def _message(parent: Message | None, role: Role, rng: random.Random, stamp: float) -> Message:
    topic = rng.choice(TOPICS)
    if role is Role.USER:
        parts: tuple = (TextPart(rng.choice(PROMPTS).format(t=topic)),)
        usage = Usage()
    else:
        tool_id = new_id()[:12]
        parts = (
            (
                ThinkingPart(f"Look at {topic}.py before answering."),
                ToolUsePart(tool_id, "read_file", {"path": f"src/{topic}.py"}),
                ToolResultPart(tool_id, f"def run():\n    ...  # {topic}\n" * 4),
                TextPart(REPLY.format(t=topic)),
            )
            if rng.random() < 0.3
            else (TextPart(REPLY.format(t=topic)),)
        )
        usage = Usage(rng.randint(500, 5000), rng.randint(50, 800), round(rng.random() / 50, 5))
    base = parent.totals if parent else Totals()
    return Message(
        id=new_id(),
        parent_id=parent.id if parent else None,
        role=role,
        parts=parts,
        created=stamp,
        model="bench-model",
        usage=usage,
        depth=parent.depth + 1 if parent else 0,
        totals=base.plus(usage),
    )


def make_store(
    home: Path, sessions: int, messages: int, forks: int = 1, seed: int = 7, batch: int = 200
) -> TinyDBStore:
    """Fill `home` with `sessions` sessions holding `messages` messages in all."""
    rng = random.Random(seed)
    store = TinyDBStore(home)
    per_family_sessions = max(1, forks + 1)
    families = max(1, sessions // per_family_sessions)
    per_family_messages = max(2, messages // families)
    stamp = time.time() - 365 * 86400
    made = 0
    while made < families:
        with store.transaction():
            for _ in range(min(batch, families - made)):
                made += 1
                stamp += 60
                root_id = new_id()
                chain: list[Message] = []
                parent = None
                for i in range(per_family_messages):
                    parent = _message(
                        parent, Role.USER if i % 2 == 0 else Role.ASSISTANT, rng, stamp + i
                    )
                    chain.append(parent)
                store.put_messages(root_id, chain)
                head = chain[-1]
                store.put_session(
                    Session(
                        id=root_id,
                        title=f"{rng.choice(TOPICS)} session {made}",
                        root_id=root_id,
                        head_id=head.id,
                        created=stamp,
                        updated=stamp + per_family_messages,
                        provider="echo",
                        model="bench-model",
                        totals=head.totals,
                    )
                )
                for f in range(forks):
                    point = chain[rng.randrange(len(chain))]
                    store.put_session(
                        Session(
                            id=new_id(),
                            title=f"fork {f} of session {made}",
                            root_id=root_id,
                            head_id=point.id,
                            parent_session_id=root_id,
                            fork_point_id=point.id,
                            created=stamp + 1,
                            updated=stamp + 1,
                            provider="echo",
                            model="bench-model",
                            totals=point.totals,
                        )
                    )
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--forks", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    make_store(args.home, args.sessions, args.messages, args.forks)
    print(
        f"made {args.sessions} sessions / {args.messages} messages in {args.home} "
        f"({time.perf_counter() - start:.1f}s)"
    )


if __name__ == "__main__":
    main()
