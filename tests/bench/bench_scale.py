"""Speed at scale: a store of 10,000 sessions and 1,000,000 messages (set
FORKTREE_BENCH_MESSAGES to change the size), measured side by side with small references.

Rows: start-up to first paint (and until idle) vs a minimal Textual app, each in a fresh
process started as a user starts it (see startup_child), with a Textual app of the main
screen's widgets and no forktree code as context; switching to a 2,000-message
session vs a 10-message one, paging up through it from the end with the PageUp key
(earlier messages load as it goes; timed to the first frame that shows the new page,
and to when the screen is quiet) next to Textual's own `Log` widget paging the same
number of plain lines, the switcher's filter per key press,
RSS after start-up, append/fork vs a 1k-message store."""

from __future__ import annotations

import asyncio
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual import events

from tests.bench.bench_compare import _grow
from tests.bench.common import Row, p50, settled, timed
from tests.bench.make_store import make_store
from tui.engine import Engine
from tui.engine.util.fuzzy import Ranker

REPO = Path(__file__).resolve().parents[2]
SESSIONS = 10_000
SAMPLES = 100  # appends and forks timed in each store
STARTUPS = 7  # start-ups of each app
MESSAGES = int(os.environ.get("FORKTREE_BENCH_MESSAGES", "1000000"))


def _compiled() -> None:
    """Write the app's bytecode, as an install does: pip compiles Textual's, and Python
    would otherwise compile this editable source at every start where
    PYTHONDONTWRITEBYTECODE is set (the start-up rows would time the compiler)."""
    compileall.compile_dir(REPO / "tui", quiet=1)


def _startup(which: str, home: Path, cache: Path) -> tuple[float, float, float, float]:
    """First paint, idle, RSS and the main screen's first paint of one start-up in a
    fresh process (startup_child), with its saved first frames in `cache`."""
    env = dict(
        os.environ,
        FORKTREE_CONFIG_DIR=str(home.parent / "config"),
        FORKTREE_CACHE_DIR=str(cache),
    )
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.startup_child", which, str(home)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    first, idle, rss = float(out[0]), float(out[1]), float(out[2])
    return first, idle, rss, float(out[3]) if len(out) > 3 else first


async def _in_app(home: Path, big: str, small: str) -> dict[str, list[float]]:
    from tui.app.app import ForktreeApp
    from tui.app.screens.main import MainScreen

    app = ForktreeApp(Engine.open(home), remember_theme=False)
    out: dict[str, list[float]] = {
        "switch_big": [],
        "switch_small": [],
        "switch_quiet": [],
        "scroll": [],
        "scroll_quiet": [],
    }
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        while not app.collector.frozen:  # the one-off collection a second after start-up
            await asyncio.sleep(0.05)
        for _ in range(5):
            for key, sid in (("switch_small", small), ("switch_big", big)):
                await pilot.pause()  # start each from a quiet app
                start = time.perf_counter()
                await screen.open_session(sid)
                # The first paint shows the session (later ones place the scrollbar's
                # thumb; tests/app/test_session_switch.py checks that first frame).
                shown, quiet = await settled(pilot, since=start)
                out[key].append((shown - start) * 1000)
                if key == "switch_big":
                    out["switch_quiet"].append((quiet - start) * 1000)
        await screen.open_session(big)
        await pilot.pause()
        transcript = screen.transcript
        transcript.focus()
        transcript.scroll_end(animate=False)
        await pilot.pause()
        # Page up from the end, as a reader does (the key, as a terminal delivers it):
        # some pages load earlier messages on the way.
        for _ in range(15):
            before, loaded = transcript.scroll_y, len(transcript.shown())
            start = time.perf_counter()
            app.post_message(events.Key("pageup", None))
            first, quiet = await settled(pilot, timeout=2.0)
            await pilot.pause()
            if transcript.scroll_y == before and len(transcript.shown()) == loaded:
                break  # at the very top: nothing left to page through
            out["scroll"].append((first - start) * 1000)
            out["scroll_quiet"].append((quiet - start) * 1000)
    return out


async def _log_paging(pages: int = 30) -> list[float]:
    """The reference for paging: Textual's own Line-API `Log` widget (a header, the log,
    a footer, at the same size) paging up through 2,000 messages' worth of plain lines,
    timed to the first paint as the transcript is."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Log

    class Reference(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Log()
            yield Footer()

    lines = []
    for i in range(2000):
        lines += [f"you › Question {i}: how do we handle case {i}?" if i % 2 == 0 else
                  f"assistant › For case {i} the long approach works: validate, then retry "
                  "with backoff, and log the attempt number", "", ""]  # fmt: skip
    app, out = Reference(), []
    async with app.run_test(size=(160, 48)) as pilot:
        log = app.query_one(Log)
        log.write_lines(lines)
        log.focus()
        await pilot.pause()
        log.scroll_end(animate=False)
        await pilot.pause()
        for _ in range(pages):
            start = time.perf_counter()
            app.post_message(events.Key("pageup", None))
            first, _ = await settled(pilot, timeout=2.0)
            await pilot.pause()
            out.append((first - start) * 1000)
    return out


def _targets(engine: Engine, count: int) -> list[str]:
    """`count` new sessions of 20 messages each, loaded once."""
    targets = []
    for i in range(count):
        sid = engine.new_session(title=f"bench target {i}").id
        _grow(engine, sid, 20, "short")
        engine.transcript(sid)
        targets.append(sid)
    return targets


def _append_fork(big_home: Path, small_home: Path) -> dict[str, float]:
    """p50 of an append and of a fork in each store, on sessions of the same size (a
    family's file grows with its session, and the stores' random sessions have 100 vs
    10 messages). Big and small take turns, so both see the same disk: each write is
    one or two fsynced files, and this disk's latency drifts by 2x over seconds."""
    engines = {"big": Engine.open(big_home), "small": Engine.open(small_home)}
    targets = {name: _targets(engine, SAMPLES) for name, engine in engines.items()}
    samples: dict[str, list[float]] = {}
    for op in ("append", "fork"):
        for i in range(SAMPLES):
            for name, engine in engines.items():
                sid = targets[name][i]
                start = time.perf_counter()
                if op == "append":
                    engine.append(sid, "user", "one more")
                else:
                    engine.fork(sid)
                samples.setdefault(f"{op}_{name}", []).append((time.perf_counter() - start) * 1000)
    return {key: p50(values) for key, values in samples.items()}


def run() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        big_home, small_home = Path(tmp) / "big", Path(tmp) / "small"
        start = time.perf_counter()
        make_store(big_home, SESSIONS, MESSAGES, forks=1)
        print(f"  made {MESSAGES} messages in {time.perf_counter() - start:.0f}s", file=sys.stderr)
        make_store(small_home, 100, 1000, forks=1)
        engine = Engine.open(big_home)
        big = engine.new_session(title="2000 messages").id
        _grow(engine, big, 2000, "long")
        small = engine.new_session(title="10 messages").id
        _grow(engine, small, 10, "short")
        _compiled()
        runs: dict[str, list[tuple[float, float, float, float]]] = {}
        kept, fresh = Path(tmp) / "kept-frames", Path(tmp) / "no-frames"
        _startup("forktree", big_home, kept)  # a user's first start: it keeps its frame
        for i in range(STARTUPS):  # taking turns: this machine's speed drifts over seconds
            for which in ("minimal", "forktree", "cold", "widgets"):
                cache = kept if which == "forktree" else fresh / str(i)  # cold: none saved
                name = "forktree" if which == "cold" else which
                runs.setdefault(which, []).append(_startup(name, big_home, cache))
        minimal, ours, cold = runs["minimal"], runs["forktree"], runs["cold"]
        ref, fig = p50([m[0] for m in minimal]), p50([o[0] for o in ours])
        rows.append(Row("startup to first paint: minimal Textual app p50", ref, "ms", "reference"))
        rows.append(
            Row(
                f"startup to first paint: forktree {SESSIONS} sessions/{MESSAGES} msgs p50",
                fig,
                "ms",
                "<= 1.5x minimal (its saved first frame)",
                fig / ref,
                fig / ref <= 1.5,
            )
        )
        main = p50([o[3] for o in ours])
        rows.append(
            Row(
                "startup: the main screen replaces the frame p50", main, "ms", "context", main / ref
            )
        )
        cold_first = p50([c[0] for c in cold])
        rows.append(
            Row(
                "startup to first paint: no saved frame (after a change) p50",
                cold_first,
                "ms",
                "context",
                cold_first / ref,
            )
        )
        shape = p50([w[0] for w in runs["widgets"]])
        rows.append(
            Row(
                "startup to first paint: the same widgets, no forktree code p50",
                shape,
                "ms",
                "context",
                shape / ref,
            )
        )
        rows.append(
            Row(
                "startup to first paint: forktree vs the same widgets",
                fig / shape,
                "x",
                "<= 1.15x",
                None,
                fig / shape <= 1.15,
            )
        )
        ref_idle, idle = p50([m[1] for m in minimal]), p50([o[1] for o in ours])
        rows.append(Row("startup until idle: minimal Textual app p50", ref_idle, "ms", "reference"))
        rows.append(Row("startup until idle: forktree p50", idle, "ms", "context", idle / ref_idle))
        rss = p50([o[2] for o in ours])
        rows.append(Row("RSS after start-up", rss, "MB", "<= 150 MB", None, rss <= 150))
        app = asyncio.run(_in_app(big_home, big, small))
        b, s = p50(app["switch_big"]), p50(app["switch_small"])
        rows.append(Row("switch to a 10-message session", s, "ms", "reference"))
        rows.append(
            Row(
                "switch to a 2000-message session",
                b,
                "ms",
                "<= 100 ms, <= 2x",
                b / s,
                b <= 100 and b / s <= 2,
            )
        )
        quiet = p50(app["switch_quiet"])
        rows.append(Row("switch to 2000 messages: until quiet", quiet, "ms", "context"))
        log = p50(asyncio.run(_log_paging()))
        rows.append(
            Row("page up: Textual's Log widget, same lines and size p50", log, "ms", "reference")
        )
        rows.append(
            Row(
                "page up a 2000-message transcript: new page on screen p50",
                p50(app["scroll"]),
                "ms",
                "<= 16 ms (proposed: <= 1x Textual's Log)",
                p50(app["scroll"]) / log,
                p50(app["scroll"]) <= 16,
            )
        )
        rows.append(
            Row(
                "page up: until the screen is quiet (scrollbar, re-layout) p50",
                p50(app["scroll_quiet"]),
                "ms",
                "<= 33 ms",
                None,
                p50(app["scroll_quiet"]) <= 33,
            )
        )
        titles = [x.title for x in engine.sessions()]
        queries = ["b", "bi", "bil", "bill", "billi", "billing", "billing s", "cache 9"]
        builds, per_key = [], {q: [] for q in queries}
        for _ in range(5):  # typed key by key, as the switcher ranks them
            start = time.perf_counter()
            ranker = Ranker(titles, key=str)
            builds.append((time.perf_counter() - start) * 1000)
            for q in queries:
                per_key[q].append(timed(lambda q=q, r=ranker: r.rank(q), 1)[0])
        worst = max(p50(v) for v in per_key.values())
        rows.append(
            Row(
                f"switcher filter over {len(titles)} titles per key (worst)",
                worst,
                "ms",
                "<= 30 ms",
                None,
                worst <= 30,
            )
        )
        rows.append(
            Row("switcher: its titles lowered once, as it opens", p50(builds), "ms", "context")
        )
        af = _append_fork(big_home, small_home)
        rows.append(Row("append in the 1k-message store", af["append_small"], "ms", "reference"))
        rows.append(
            Row(
                f"append in the {MESSAGES}-message store",
                af["append_big"],
                "ms",
                "<= 1.5x",
                af["append_big"] / af["append_small"],
                af["append_big"] / af["append_small"] <= 1.5,
            )
        )
        rows.append(Row("fork in the 1k-message store", af["fork_small"], "ms", "reference"))
        rows.append(
            Row(
                f"fork in the {MESSAGES}-message store",
                af["fork_big"],
                "ms",
                "<= 1.5x",
                af["fork_big"] / af["fork_small"],
                af["fork_big"] / af["fork_small"] <= 1.5,
            )
        )
    return rows
