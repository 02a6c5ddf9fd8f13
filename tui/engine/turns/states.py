"""The states a session runtime moves through, and which moves are allowed.

idle -> initializing -> ready <-> processing -> completed | error | interrupted
                                      |  \\-> waiting_tool, compacting (and back)
completed | error | interrupted -> processing (next queued prompt) or ready
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tui.engine.errors import ForktreeError


class RunState(StrEnum):
    IDLE = "idle"
    INITIALIZING = "initializing"
    READY = "ready"
    PROCESSING = "processing"
    WAITING_TOOL = "waiting_tool"
    COMPACTING = "compacting"
    COMPLETED = "completed"
    ERROR = "error"
    INTERRUPTED = "interrupted"


_AFTER_TURN = {RunState.READY, RunState.PROCESSING}
TRANSITIONS: dict[RunState, set[RunState]] = {
    RunState.IDLE: {RunState.INITIALIZING},
    RunState.INITIALIZING: {RunState.READY, RunState.ERROR},
    RunState.READY: {RunState.PROCESSING, RunState.ERROR},
    RunState.PROCESSING: {
        RunState.COMPLETED,
        RunState.ERROR,
        RunState.INTERRUPTED,
        RunState.WAITING_TOOL,
        RunState.COMPACTING,
    },
    RunState.WAITING_TOOL: {RunState.PROCESSING, RunState.ERROR, RunState.INTERRUPTED},
    RunState.COMPACTING: {RunState.PROCESSING, RunState.ERROR, RunState.INTERRUPTED},
    RunState.COMPLETED: _AFTER_TURN,
    RunState.ERROR: _AFTER_TURN | {RunState.INITIALIZING},
    RunState.INTERRUPTED: _AFTER_TURN,
}


@dataclass(frozen=True, slots=True)
class StateChanged:
    session_id: str
    old: RunState
    new: RunState
    reason: str = ""


class StateError(ForktreeError):
    """A transition the state machine does not allow (a bug, reported clearly)."""
