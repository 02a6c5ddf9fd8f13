"""The data model: messages form a tree, a session is a branch with a head."""

from __future__ import annotations

import math
import os
import secrets
import time
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NamedTuple

from tui.engine.sessions.options import NO_OPTIONS, SessionOptions
from tui.engine.sessions.parts import (
    FileChangePart as FileChangePart,
)
from tui.engine.sessions.parts import (
    Part as Part,
)
from tui.engine.sessions.parts import (
    TextPart as TextPart,
)
from tui.engine.sessions.parts import (
    ThinkingPart as ThinkingPart,
)
from tui.engine.sessions.parts import (
    ToolResultPart as ToolResultPart,
)
from tui.engine.sessions.parts import (
    ToolUsePart as ToolUsePart,
)
from tui.engine.sessions.parts import (
    part_from_dict as part_from_dict,
)
from tui.engine.sessions.parts import (
    part_to_dict as part_to_dict,
)
from tui.engine.sessions.records import (
    BadRecordError,
    count_of,
    number_of,
    opt_id,
    opt_text,
    record_id,
    time_of,
)
from tui.engine.sessions.turn_record import TurnRecord


def new_id() -> str:
    """A random 32-hex-digit id (sessions and messages); prefixes identify it to users."""
    return secrets.token_hex(16)


def now() -> float:
    return time.time()


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"
    TOOL = "tool"


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    STREAMING = "streaming"
    INTERRUPTED = "interrupted"
    ERROR = "error"


class SessionStatus(StrEnum):
    IDLE = "idle"
    BUSY = "busy"
    WAITING_TOOL = "waiting_tool"
    COMPACTING = "compacting"
    ERROR = "error"  # the last turn failed (kept until the next one)
    INTERRUPTED = "interrupted"  # the last reply was cut off (kept until the next turn)


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts and cost; None means the provider did not say (never invented)."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"in": self.input_tokens, "out": self.output_tokens, "cost": self.cost_usd}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Usage:
        data = data or {}
        return cls(
            None if data.get("in") is None else count_of(data, "in"),
            None if data.get("out") is None else count_of(data, "out"),
            None if data.get("cost") is None else number_of(data, "cost"),
        )


@dataclass(frozen=True, slots=True)
class Totals:
    """Running sums over a transcript: messages, tokens and cost."""

    messages: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0

    def plus(self, usage: Usage, messages: int = 1) -> Totals:
        return Totals(
            self.messages + messages,
            self.input_tokens + (usage.input_tokens or 0),
            self.output_tokens + (usage.output_tokens or 0),
            round(self.cost_usd + (usage.cost_usd or 0.0), 8),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "in": self.input_tokens,
            "out": self.output_tokens,
            "cost": self.cost_usd,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Totals:
        data = data or {}
        return cls(
            count_of(data, "messages"),
            count_of(data, "in"),
            count_of(data, "out"),
            number_of(data, "cost"),
        )


@dataclass(frozen=True, slots=True)
class Message:
    """One node of the message tree. `depth` is its index in any transcript holding it;
    `totals` are the running sums from the root up to and including it."""

    id: str
    parent_id: str | None
    role: Role
    parts: tuple[Part, ...]
    created: float
    model: str | None = None
    usage: Usage = field(default_factory=Usage)
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    depth: int = 0
    totals: Totals = field(default_factory=Totals)
    writer_pid: int | None = None
    compact: bool = False  # a compact summary: the model's context starts here
    result: TurnRecord | None = None  # on a turn's last reply: how the turn ended

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, TextPart))

    @property
    def thinking(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, ThinkingPart))

    def tool_parts(self) -> list[ToolUsePart | ToolResultPart]:
        return [p for p in self.parts if isinstance(p, ToolUsePart | ToolResultPart)]

    def pending_calls(self) -> list[ToolUsePart]:
        """Tool calls of this message that have no result yet."""
        calls = [p for p in self.parts if isinstance(p, ToolUsePart)]
        if not calls:
            return []
        answered = {p.tool_id for p in self.parts if isinstance(p, ToolResultPart)}
        return [c for c in calls if c.tool_id not in answered]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "parent_id": self.parent_id,
            "role": self.role.value,
            "parts": [part_to_dict(p) for p in self.parts],
            "created": self.created,
            "model": self.model,
            "usage": self.usage.to_dict(),
            "status": self.status.value,
            "depth": self.depth,
            "totals": self.totals.to_dict(),
            "error": self.error,
            "writer_pid": self.writer_pid,
            "compact": self.compact,
        }
        if self.result is not None:
            data["result"] = self.result.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        parts = data.get("parts", ())
        if not isinstance(parts, list | tuple) or not all(isinstance(p, dict) for p in parts):
            raise BadRecordError(f"parts is {parts!r:.60}, not a list of parts")
        pid = data.get("writer_pid")
        return cls(
            id=record_id(data.get("id")),
            parent_id=opt_id(data, "parent_id"),
            role=Role(data["role"]),
            parts=tuple(part_from_dict(p) for p in parts),
            created=time_of(data, "created"),
            model=opt_text(data, "model"),
            usage=Usage.from_dict(data.get("usage")),
            status=MessageStatus(data.get("status", "complete")),
            error=opt_text(data, "error"),
            depth=count_of(data, "depth"),
            totals=Totals.from_dict(data.get("totals")),
            writer_pid=pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
            compact=bool(data.get("compact", False)),
            result=TurnRecord.from_dict(data.get("result")),
        )

    def with_changes(self, **changes: Any) -> Message:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a session came from: made here, or imported from Claude Code."""

    kind: str = "native"
    source_path: str | None = None
    source_id: str | None = None
    project: str | None = None
    cwd: str | None = None
    git_branch: str | None = None
    fork_pending: bool | None = None  # next Claude Code turn must pass --fork-session
    workspace: str | None = None  # a folder this session owns (a git worktree or a copy)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in _slots_items(self) if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Origin:
        if not data or data == _NATIVE_DOC:
            return NATIVE
        # stored docs are written by to_dict(); the keys are exactly the slots
        return cls(**{k: data.get(k) for k in cls.__slots__ if k in data})  # type: ignore[arg-type]


NATIVE = Origin()
_NATIVE_DOC = {"kind": "native"}
_SESSION_STATUS = {s.value: s for s in SessionStatus}


def _slots_items(obj: Any) -> list[tuple[str, Any]]:
    return [(name, getattr(obj, name)) for name in obj.__slots__]


@dataclass(frozen=True, slots=True)
class Session:
    """A branch of the message tree: its transcript is the ancestry of `head_id`.
    `root_id` names the family (the first session of the tree) whose file holds its messages."""

    id: str
    title: str
    root_id: str
    head_id: str | None = None
    parent_session_id: str | None = None
    fork_point_id: str | None = None
    fork_depth: int | None = None
    created: float = 0.0
    updated: float = 0.0
    provider: str = "echo"
    model: str | None = None
    system_prompt: str | None = None
    status: SessionStatus = SessionStatus.IDLE
    archived: bool = False
    totals: Totals = field(default_factory=Totals)
    origin: Origin = NATIVE
    checkpoints: tuple[tuple[str, str], ...] = ()  # (message id, name), named by the user
    options: SessionOptions = NO_OPTIONS

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "checkpoints": [list(c) for c in self.checkpoints],
            "id": self.id,
            "title": self.title,
            "root_id": self.root_id,
            "head_id": self.head_id,
            "parent_session_id": self.parent_session_id,
            "fork_point_id": self.fork_point_id,
            "fork_depth": self.fork_depth,
            "created": self.created,
            "updated": self.updated,
            "provider": self.provider,
            "model": self.model,
            "system_prompt": self.system_prompt,
            "status": self.status.value,
            "archived": self.archived,
            "totals": self.totals.to_dict(),
            "origin": self.origin.to_dict(),
        }
        if self.options != NO_OPTIONS:
            data["options"] = self.options.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        sid = record_id(data.get("id"))
        fork_depth = data.get("fork_depth")
        return cls(
            id=sid,
            title=str(data.get("title") or "untitled"),
            root_id=record_id(data.get("root_id") or sid, "root_id"),
            head_id=opt_id(data, "head_id"),
            parent_session_id=opt_id(data, "parent_session_id"),
            fork_point_id=opt_id(data, "fork_point_id"),
            fork_depth=None if fork_depth is None else count_of(data, "fork_depth"),
            created=time_of(data, "created"),
            updated=time_of(data, "updated"),
            provider=str(data.get("provider") or "echo"),
            model=opt_text(data, "model"),
            system_prompt=opt_text(data, "system_prompt"),
            status=_SESSION_STATUS.get(data.get("status", "idle")) or SessionStatus.IDLE,
            archived=bool(data.get("archived", False)),
            totals=Totals.from_dict(data.get("totals")),
            origin=Origin.from_dict(data.get("origin")),
            checkpoints=tuple(
                (str(c[0]), str(c[1]))
                for c in data.get("checkpoints") or ()
                if isinstance(c, list | tuple) and len(c) == 2
            ),
            options=SessionOptions.from_dict(data.get("options")),
        )

    def with_changes(self, **changes: Any) -> Session:
        return replace(self, **changes)

    @property
    def short_id(self) -> str:
        return self.id[:8]


class SessionRow(NamedTuple):
    """What ordering sessions and shaping the tree need of one, read from the index
    without building its Session: a large store lists its sessions at every start."""

    id: str
    root_id: str
    parent_session_id: str | None
    created: float
    updated: float
    archived: bool

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionRow:
        """The same fields, with the same defaults, as `Session.from_dict` reads."""
        sid, root, parent = data.get("id"), data.get("root_id"), data.get("parent_session_id")
        created, updated = data.get("created", 0.0), data.get("updated", 0.0)
        if (  # the fast path, for every row of every start-up: well-formed docs
            type(sid) is str
            and type(root) is str
            and sid
            and root
            and type(created) is float
            and type(updated) is float
            and (parent is None or type(parent) is str)
            and _finite(created + updated)
        ):  # (ids reach a file name only through the store's own check of them)
            return cls(sid, root, parent, created, updated, bool(data.get("archived", False)))
        sid = record_id(data.get("id"))
        return cls(
            sid,
            record_id(data.get("root_id") or sid, "root_id"),
            opt_id(data, "parent_session_id"),
            time_of(data, "created"),
            time_of(data, "updated"),
            bool(data.get("archived", False)),
        )


_finite = math.isfinite


def pid_alive(pid: int | None) -> bool:
    """True when a process with this id runs on this machine."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
