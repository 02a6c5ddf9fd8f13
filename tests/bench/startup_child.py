"""One start-up, timed from the process's first line: run as a script by bench_scale.

    python -m tests.bench.startup_child minimal
    python -m tests.bench.startup_child widgets
    python -m tests.bench.startup_child forktree HOME

`forktree` starts the app the way a user does (`python -m tui --home HOME`, through
the CLI and `tui/__main__.py`); only `App.run` is swapped for a headless run at
160x48. `minimal` is a Header, a Static and a Footer. `widgets` is no forktree code
at all: a Textual app with the main screen's widgets (a 150-line Tree, a TextArea, a
Footer, ten short messages drawn by Rich's Markdown), to show what the screen itself
costs Textual. Prints, in ms: the first paint of the app's own screen
(the saved first frame, else `MainScreen`; the reference's default screen), the
moment the app is idle after it, the RSS in MB then, and the first paint of
`MainScreen` itself."""

from __future__ import annotations

import time

START = time.perf_counter()

import asyncio  # noqa: E402
import importlib.abc  # noqa: E402
import importlib.util  # noqa: E402
import resource  # noqa: E402
import runpy  # noqa: E402
import sys  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (160, 48)


def rss_mb() -> float:
    # VmRSS, not ru_maxrss: a child started by fork+exec inherits the parent's peak in
    # ru_maxrss on Linux, so the bench's own big heap would be counted.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def measure(app: Any, screen_name: str) -> None:
    from textual.screen import Screen

    first: list[float] = []  # the first frame of the app's own screens
    main: list[float] = []  # the first frame of `screen_name` itself
    inner = Screen._compositor_refresh

    def refresh(screen: Any) -> None:
        inner(screen)
        name = type(screen).__name__
        if not first and name in (screen_name, "FirstFrameScreen"):
            first.append(time.perf_counter())
        if not main and name == screen_name:
            main.append(time.perf_counter())

    Screen._compositor_refresh = refresh  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10_000):
            if main:
                break
            await asyncio.sleep(0.001)
        await pilot.pause()
        idle = time.perf_counter()
        app.exit()  # as a user quits (the app keeps its start-up frame then)
    print((first[0] - START) * 1000, (idle - START) * 1000, rss_mb(), (main[0] - START) * 1000)


class _SwapRun(importlib.abc.MetaPathFinder):
    """Once `textual.app` loads, make `App.run` a measured headless run."""

    def __init__(self, screen_name: str) -> None:
        self.screen_name = screen_name

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "textual.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        loader, screen_name = spec.loader, self.screen_name
        load = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            module.App.run = lambda app, *a, **k: asyncio.run(measure(app, screen_name))

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


REPLY = (
    "For case 9 the short approach works: validate, then retry with backoff, and log the "
    "attempt number so failures are visible."
)


def widgets_app() -> Any:
    from rich.markdown import Markdown
    from textual.app import App
    from textual.containers import Horizontal, VerticalScroll
    from textual.widgets import Footer, Static, TextArea, Tree

    class Widgets(App[None]):
        CSS = "#panes { height: 1fr; } Tree, #side { width: 40; } TextArea { height: 5; }"

        def compose(self) -> Any:
            yield Static("header")
            with Horizontal(id="panes"):
                tree: Tree[None] = Tree("sessions")
                tree.show_root = False
                for i in range(150):
                    tree.root.add_leaf(f"session {i}  10·2h")
                yield tree
                with VerticalScroll():
                    for i in range(10):
                        yield Static(Markdown(f"**you** {i}\n\n{REPLY}"))
                yield Static("side", id="side")
            yield TextArea()
            yield Footer()

    return Widgets()


def main() -> None:
    which = sys.argv[1]
    if which == "widgets":
        asyncio.run(measure(widgets_app(), "Screen"))
    elif which == "minimal":
        from textual.app import App
        from textual.widgets import Footer, Header, Static

        class Minimal(App[None]):
            def compose(self) -> Any:
                yield Header()
                yield Static("hello")
                yield Footer()

        asyncio.run(measure(Minimal(), "Screen"))
    else:
        sys.meta_path.insert(0, _SwapRun("MainScreen"))
        sys.argv = ["forktree", "--home", sys.argv[2]]
        runpy.run_module("tui", run_name="__main__")


if __name__ == "__main__":
    main()
