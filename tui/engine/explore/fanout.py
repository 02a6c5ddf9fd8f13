"""Fan-out: one prompt to N new forks at once (each its own provider/model), streamed in
parallel, each run built like any other (tools included); then keep a winner and archive
(never delete) the rest."""

from __future__ import annotations

import asyncio

from tui.engine.engine import Engine
from tui.engine.errors import InvalidInputError
from tui.engine.sessions.model import Session
from tui.engine.turns.run_factory import RunFactory
from tui.engine.turns.runtime import Listener, TurnResult, ignore_events
from tui.engine.turns.streaming import check_prompt


def parse_target(spec: str) -> tuple[str | None, str | None]:
    """'provider/model', 'provider/' or 'model' -> (provider or None, model or None)."""
    spec = spec.strip()
    if "/" in spec:
        provider, _, model = spec.partition("/")
        return provider or None, model or None
    return None, spec or None


def make_forks(
    engine: Engine,
    session_id: str,
    targets: list[tuple[str | None, str | None]],
    at: str | None = None,
    worktree: bool = False,
) -> list[Session]:
    """One fork per target at `at` (default: the head), titled by its model; with
    `worktree`, each in a folder of its own, so they work at once without clashing."""
    if not targets:
        raise InvalidInputError("fan-out needs at least one model")
    parent = engine.session(session_id)
    forks = []
    for provider, model in targets:
        label = "/".join(x for x in (provider, model) if x) or parent.model or parent.provider
        fork = engine.fork(
            parent.id, at=at, title=f"{parent.title} · {label}", provider=provider, model=model
        )
        if worktree:
            from tui.engine.files.worktree import make_workspace

            fork = make_workspace(engine, fork.id)
        forks.append(fork)
    return forks


async def fanout(
    engine: Engine,
    session_id: str,
    prompt: str,
    targets: list[tuple[str | None, str | None]],
    at: str | None = None,
    listener: Listener = ignore_events,
    runs: RunFactory | None = None,
    worktree: bool = False,
) -> list[tuple[Session, TurnResult]]:
    """Send `prompt` to a new fork per target, all streaming at once; `runs` builds each
    fork's runtime (default: from the settings, with no one to approve tool calls)."""
    check_prompt(prompt)
    forks = make_forks(engine, session_id, targets, at, worktree)
    factory = runs or RunFactory(engine)
    try:
        results = await asyncio.gather(
            *(factory.runtime(f.id, listener=listener).send(prompt) for f in forks)
        )
    finally:
        if runs is None:
            await factory.close()
    return list(zip(forks, results, strict=True))


def siblings(engine: Engine, session_id: str) -> list[Session]:
    """Other forks made at the same point of the same session (a fan-out's members)."""
    me = engine.session(session_id)
    return [
        s
        for s in engine.family(me.id)
        if s.id != me.id
        and not s.archived
        and s.parent_session_id == me.parent_session_id
        and s.fork_point_id == me.fork_point_id
        and me.parent_session_id
    ]


def choose_winner(engine: Engine, session_id: str) -> list[Session]:
    """Keep `session_id`; archive its fan-out siblings (never delete). Returns them."""
    return [engine.archive(s.id) for s in siblings(engine, session_id)]
