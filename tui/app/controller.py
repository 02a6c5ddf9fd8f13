"""The main screen's session controller: runtimes, turns, approvals and MCP servers.

It holds no widgets and imports no Textual: the screen owns one, hands it a listener for
runtime events and a watcher for runs starting and ending, and draws what they say."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tui.engine import Engine, ForktreeError, Session
from tui.engine.tools import Approver
from tui.engine.turns.run_factory import Problem, RunFactory
from tui.engine.turns.runtime import Listener, SessionRuntime


@dataclass(frozen=True, slots=True)
class RunWatcher:
    """What the screen is told about runs: one started, one failed to send, one ended."""

    started: Callable[[str], None]
    failed: Callable[[str, str], None]
    finished: Callable[[str], Awaitable[None]]


class SessionController:
    """Runs the turns of every session the app has open, each in its own task."""

    def __init__(
        self,
        engine: Engine,
        listener: Listener,
        approver: Approver,
        watcher: RunWatcher,
        on_problem: Problem,
    ) -> None:
        self.engine = engine
        self.listener = listener
        self.watcher = watcher
        self.runs = RunFactory(engine, approver=approver, on_problem=on_problem)
        self.runtimes: dict[str, SessionRuntime] = {}
        self.turns: dict[str, asyncio.Task[None]] = {}

    def runtime_for(self, session_id: str) -> SessionRuntime:
        runtime = self.runtimes.get(session_id)
        if runtime is None:
            runtime = self.runtimes[session_id] = self.runs.runtime(session_id, self.listener)
        return runtime

    def is_streaming(self, session_id: str | None) -> bool:
        task = self.turns.get(session_id or "")
        return task is not None and not task.done()

    def send(self, session_id: str, text: str) -> bool:
        """Queue `text`; True when its turn starts now, False when it waits for the reply
        streaming in this session. A bad prompt raises ForktreeError."""
        runtime = self.runtime_for(session_id)
        runtime.submit(text)
        if self.is_streaming(session_id):
            return False
        self.start(session_id)
        return True

    def start(self, session_id: str) -> None:
        """Send the session's queued prompts in order, in a task of their own."""
        runtime = self.runtime_for(session_id)
        self.turns[session_id] = asyncio.create_task(self._run(runtime))

    async def _run(self, runtime: SessionRuntime) -> None:
        sid = runtime.session_id
        self.watcher.started(sid)
        try:
            await runtime.run()
        except ForktreeError as exc:
            self.watcher.failed(sid, str(exc))
            runtime.queue.clear()
        except Exception as exc:  # a bug: said on screen, never a silent dead task
            self.watcher.failed(sid, f"internal error: {type(exc).__name__}: {exc}")
            runtime.queue.clear()
        finally:
            await self.watcher.finished(sid)

    def abort(self, session_id: str | None) -> bool:
        """Stop the session's streaming reply (kept as interrupted); False if none was."""
        runtime = self.runtimes.get(session_id or "")
        if runtime is None or not self.is_streaming(runtime.session_id):
            return False
        runtime.abort()
        return True

    def forget(self, session_id: str) -> None:
        """Drop the session's runtime (its provider or model changed)."""
        self.runtimes.pop(session_id, None)

    def queued(self, session_id: str) -> list[str]:
        runtime = self.runtimes.get(session_id)
        return list(runtime.queue) if runtime else []

    def fan_out(
        self, parent: str, targets: list[tuple[str | None, str | None]], text: str
    ) -> list[Session]:
        """New forks at the head, one per target, each sent `text` at once."""
        from tui.engine.explore.fanout import make_forks

        forks = make_forks(self.engine, parent, targets)
        for fork in forks:
            self.send(fork.id, text)
        return forks

    async def wait_idle(self) -> None:
        """Until no turn runs and nothing is queued (tests and shutdown)."""
        while running := [t for t in self.turns.values() if not t.done()]:
            await asyncio.wait(running)

    async def close(self) -> None:
        """Stop every turn (replies are kept as interrupted) and the MCP servers."""
        for runtime in self.runtimes.values():
            runtime.abort()
        running = [t for t in self.turns.values() if not t.done()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        await self.runs.close()
