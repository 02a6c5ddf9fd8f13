"""Opening the compare screen on two 1,000-message tails, against opening one
1,000-message session in the main screen. Target (#23): compare opens in <= 100 ms,
timed from the call to its first paint (which shows the turns), with the time until
the screen is quiet after it."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from tests.bench.common import Row, p50, painted, settled
from tui.app.app import ForktreeApp
from tui.app.screens.compare import CompareScreen
from tui.app.screens.main import MainScreen
from tui.engine import Engine
from tui.engine.sessions.model import Message, Role, TextPart, Totals, Usage, new_id

TAIL = 1000
REPEAT = 3


def _grow(engine: Engine, session_id: str, count: int, flavour: str) -> None:
    """Append `count` messages in one transaction (the bench measures reading, not this)."""
    session = engine.session(session_id)
    parent = engine.store.get_message(session.root_id, session.head_id) if session.head_id else None
    batch = []
    for i in range(count):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        text = (
            f"Question {i}: how do we handle case {i}?"
            if role is Role.USER
            else f"For case {i} the {flavour} approach works: validate, then retry with "
            f"backoff, and log the attempt number so failures are visible."
        )
        usage = Usage(500, 80, 0.001) if role is Role.ASSISTANT else Usage()
        base = parent.totals if parent else Totals()
        parent = Message(
            new_id(),
            parent.id if parent else None,
            role,
            (TextPart(text),),
            time.time(),
            usage=usage,
            depth=parent.depth + 1 if parent else 0,
            totals=base.plus(usage),
        )
        batch.append(parent)
    with engine.store.transaction():
        engine.store.put_messages(session.root_id, batch)
        engine.store.put_session(
            session.with_changes(
                head_id=parent.id,  # type: ignore[union-attr]
                totals=parent.totals,
            )
        )  # type: ignore[union-attr]


async def _measure(home: Path) -> tuple[list[float], list[float], list[float]]:
    engine = Engine.open(home)
    root = engine.new_session(title="base")
    _grow(engine, root.id, 10, "shared")
    a = engine.fork(root.id, title="A")
    b = engine.fork(root.id, title="B")
    _grow(engine, a.id, TAIL, "careful")
    _grow(engine, b.id, TAIL, "quick")
    app = ForktreeApp(engine, remember_theme=False)
    opens, compares, quiet = [], [], []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for _ in range(REPEAT):
            await screen.open_session(root.id)
            await pilot.pause()
            start = time.perf_counter()
            await screen.open_session(a.id)
            opens.append((await painted(pilot, since=start) - start) * 1000)
            await pilot.pause()
            start = time.perf_counter()
            await app.push_screen(CompareScreen(engine, a.id, b.id))
            first, last = await settled(pilot, since=start)  # it paints as it mounts
            compares.append((first - start) * 1000)
            quiet.append((last - start) * 1000)
            app.pop_screen()
            await pilot.pause()
    return opens, compares, quiet


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("FORKTREE_CONFIG_DIR", str(Path(tmp) / "config"))
        opens, compares, quiet = asyncio.run(_measure(Path(tmp) / "home"))
    return [
        Row(f"open one {TAIL}-message session", p50(opens), "ms", "reference"),
        Row(
            f"open compare of two {TAIL}-message tails",
            p50(compares),
            "ms",
            "<= 100 ms",
            p50(compares) / p50(opens),
            p50(compares) <= 100,
        ),
        Row("open compare: until the screen is quiet", p50(quiet), "ms", "context"),
    ]
