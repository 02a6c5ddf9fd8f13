"""Claude Code transcript lines -> forktree messages and sessions (no I/O to the store).

See ../shared/formats/claude_code.md for the format. What this handles:
- assistant replies split over many lines sharing `message.id`: one message, usage
  counted once, output tokens from the last (largest) line;
- tool results folded into the assistant message holding the tool_use, paired by
  `tool_use_id` (parallel calls included);
- harness lines (isMeta, progress, hooks, turn durations) hidden: their children hang
  on the nearest visible ancestor; dangling parents become roots; cycles are cut;
- compaction: the boundary is kept as a system note linked to the history it follows
  (logicalParentUuid), so the whole history stays browsable;
- sidechains (subagents, inline or from subagents/ files) hung under their Task call;
- real branches (two visible children of one message) become forks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.engine.importers.claude_code_files import edits_of
from tui.engine.providers.pricing import prices_for
from tui.engine.sessions.model import (
    Message,
    MessageStatus,
    Part,
    Role,
    TextPart,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
    Totals,
    Usage,
)
from tui.engine.sessions.parts import part_to_dict

_ASSISTANT = Role.ASSISTANT  # enum attribute lookups are slow in the per-line path
CHAIN_TYPES = {"user", "assistant", "system", "progress", "attachment"}
TASK_TOOLS = {"Task", "Agent"}
_COMMAND = re.compile(r"<command-name>(.*?)</command-name>", re.S)
_ARGS = re.compile(r"<command-args>(.*?)</command-args>", re.S)


def stable_id(*keys: str) -> str:
    """A 32-hex id derived from Claude Code ids, so re-imports update the same records."""
    return hashlib.sha1("\x1f".join(("cc", *keys)).encode()).hexdigest()[:32]


def parse_time(value: Any) -> float:
    if not isinstance(value, str):
        return 0.0
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def content_text(content: Any) -> str:
    """The text of a message or tool-result content: a string or a list of blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(b.get("text", ""))
            for b in content
            if isinstance(b, dict) and b.get("type") == "text"
        )
    return ""


def tidy_prompt(text: str) -> str:
    """`/command args` for slash-command lines; other prompts unchanged."""
    name = _COMMAND.search(text)
    if name:
        args = _ARGS.search(text)
        return f"{name.group(1).strip()} {args.group(1).strip() if args else ''}".strip()
    return text


@dataclass
class Node:
    """One visible message being built (an assistant reply may span many lines)."""

    key: str
    role: Role
    parts: list[Part]
    created: float
    order: int
    parent_uuid: str | None
    session_id: str | None
    sidechain: bool
    model: str | None = None
    usage_in: int | None = None
    usage_out: int | None = None
    error: str | None = None
    msg_id: str = ""
    task_tool_id: str | None = None  # on a subagent's first message: the Task call it serves
    input_weight: float = 0.0  # input tokens weighted by cache pricing
    parent: str | None = None  # key of the visible parent, resolved later
    depth: int = 0
    totals: Totals = field(default_factory=Totals)
    final_usage: Usage | None = None  # usage() once the file is read (asked twice after)

    def usage(self) -> Usage:
        """Tokens as Claude Code logged them; cost from the price table, cache-aware."""
        if self.role is not _ASSISTANT:
            return Usage()
        prices = prices_for(self.model, "claude_code")
        cost = None
        if prices is not None and self.usage_out is not None:
            cost = round(
                (self.input_weight * prices[0] + self.usage_out * prices[1]) / 1_000_000, 8
            )
        return Usage(self.usage_in, self.usage_out, cost)


@dataclass
class Parsed:
    """Everything one file (plus its subagent files) says."""

    nodes: dict[str, Node] = field(default_factory=dict)
    title: str | None = None
    summaries: dict[str, str] = field(default_factory=dict)
    skipped: int = 0
    session_ids: list[str] = field(default_factory=list)
    cwd: str | None = None
    git_branch: str | None = None
    forked_from: str | None = None
    tool_owner: dict[str, str] = field(default_factory=dict)  # tool_use_id -> node key
    task_prompts: dict[str, tuple[str, str]] = field(default_factory=dict)  # prompt -> (key, tool)


class TranscriptParser:
    """Feed records in file order (main file first, then subagent files), then `finish()`."""

    def __init__(self) -> None:
        self.out = Parsed()
        self._alias: dict[str, str | None] = {}  # hidden uuid -> parent uuid
        self._owner: dict[str, str] = {}  # record uuid -> node key
        self._by_msg_id: dict[str, str] = {}
        self._logical: dict[str, str] = {}
        self._order = 0

    def feed(self, obj: dict[str, Any] | None) -> None:
        """Take one record; a malformed one (None, wrong types) is skipped and counted."""
        if obj is None:
            self.out.skipped += 1
            return
        try:
            self._feed(obj)
        except (TypeError, ValueError, AttributeError, KeyError):
            self.out.skipped += 1

    def _feed(self, obj: dict[str, Any]) -> None:
        kind = obj.get("type")
        if kind == "summary" and isinstance(obj.get("summary"), str):
            self.out.summaries[str(obj.get("leafUuid"))] = obj["summary"]
            return
        if kind == "custom-title" and obj.get("customTitle"):
            self.out.title = str(obj["customTitle"])
            return
        uuid = obj.get("uuid")
        if kind not in CHAIN_TYPES or not isinstance(uuid, str):
            return
        self._order += 1
        sid = obj.get("sessionId")
        if sid and sid not in self.out.session_ids and not obj.get("isSidechain"):
            self.out.session_ids.append(sid)
        if obj.get("cwd"):
            self.out.cwd = obj["cwd"]
        if obj.get("gitBranch") not in (None, "", "HEAD"):
            self.out.git_branch = obj["gitBranch"]
        if isinstance(obj.get("forkedFrom"), dict) and not self.out.forked_from:
            self.out.forked_from = obj["forkedFrom"].get("sessionId")
        parent = obj.get("parentUuid")
        if kind == "assistant":
            self._assistant(obj, uuid, parent)
        elif kind == "user":
            self._user(obj, uuid, parent)
        elif kind == "system" and obj.get("subtype") == "compact_boundary":
            logical = obj.get("logicalParentUuid")
            self._add(
                uuid,
                Node(
                    uuid,
                    Role.SYSTEM,
                    [TextPart("*Conversation compacted* — the earlier history is above.")],
                    parse_time(obj.get("timestamp")),
                    self._order,
                    logical if isinstance(logical, str) else parent,
                    sid,
                    bool(obj.get("isSidechain")),
                ),
            )
        else:
            self._alias[uuid] = parent

    def _add(self, uuid: str, node: Node) -> None:
        self.out.nodes[node.key] = node
        self._owner[uuid] = node.key

    def _assistant(self, obj: dict[str, Any], uuid: str, parent: str | None) -> None:
        message = obj.get("message") or {}
        msg_id = str(message.get("id") or uuid)
        usage = message.get("usage") or {}
        key = self._by_msg_id.get(msg_id)
        node = self.out.nodes.get(key) if key else None
        if node is None:
            node = Node(
                uuid,
                Role.ASSISTANT,
                [],
                parse_time(obj.get("timestamp")),
                self._order,
                parent,
                obj.get("sessionId"),
                bool(obj.get("isSidechain")),
                model=message.get("model"),
                msg_id=msg_id,
            )
            if usage:
                plain, written, read = (
                    int(usage.get(k) or 0)
                    for k in (
                        "input_tokens",
                        "cache_creation_input_tokens",
                        "cache_read_input_tokens",
                    )
                )
                node.usage_in = plain + written + read
                # cache writes cost 1.25x and cache reads 0.1x the input price
                node.input_weight = plain + 1.25 * written + 0.1 * read
            self._by_msg_id[msg_id] = uuid
            self._add(uuid, node)
        else:
            self._owner[uuid] = node.key
        if usage.get("output_tokens") is not None:
            node.usage_out = max(node.usage_out or 0, int(usage["output_tokens"]))
        if obj.get("isApiErrorMessage") or obj.get("error"):
            node.error = str(obj.get("error") or "API error")
        for block in message.get("content") or ():
            if not isinstance(block, dict):
                continue
            btype = block.get("type")
            if btype == "text" and block.get("text"):
                node.parts.append(TextPart(str(block["text"])))
            elif btype == "thinking" and block.get("thinking"):
                node.parts.append(ThinkingPart(str(block["thinking"])))
            elif btype in ("tool_use", "server_tool_use"):
                tool_id = str(block.get("id", ""))
                raw_input = block.get("input")
                data: dict[str, Any] = raw_input if isinstance(raw_input, dict) else {}
                name = str(block.get("name", ""))
                node.parts.append(ToolUsePart(tool_id, name, data))
                node.parts.extend(edits_of(tool_id, name, data, self.out.cwd))
                self.out.tool_owner[tool_id] = node.key
                if block.get("name") in TASK_TOOLS and isinstance(data.get("prompt"), str):
                    self.out.task_prompts[data["prompt"].strip()] = (node.key, tool_id)

    def _user(self, obj: dict[str, Any], uuid: str, parent: str | None) -> None:
        content = (obj.get("message") or {}).get("content")
        results = (
            [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"]
            if isinstance(content, list)
            else []
        )
        if results:
            for block in results:
                tool_id = str(block.get("tool_use_id", ""))
                owner = self.out.tool_owner.get(tool_id)
                text = content_text(block.get("content"))
                if owner is not None:
                    self.out.nodes[owner].parts.append(
                        ToolResultPart(tool_id, text, bool(block.get("is_error")))
                    )
                    self._owner[uuid] = owner
                else:
                    self._alias[uuid] = parent
            return
        text = content_text(content)
        if obj.get("isMeta") or not text.strip() or text.startswith("<local-command-"):
            self._alias[uuid] = parent
            return
        role = Role.USER
        if obj.get("isCompactSummary"):
            role, text = Role.SYSTEM, "**Compact summary**\n\n" + text
        elif text.startswith("[Request interrupted"):
            role = Role.SYSTEM
        self._add(
            uuid,
            Node(
                uuid,
                role,
                [TextPart(tidy_prompt(text))],
                parse_time(obj.get("timestamp")),
                self._order,
                parent,
                obj.get("sessionId"),
                bool(obj.get("isSidechain")),
            ),
        )

    # -- resolving the graph -----------------------------------------------------------

    def _visible(self, uuid: str | None) -> str | None:
        """The node key of `uuid`, or of its nearest visible ancestor."""
        seen: set[str] = set()
        while uuid is not None and uuid not in seen:
            seen.add(uuid)
            if uuid in self._owner:
                return self._owner[uuid]
            uuid = self._alias.get(uuid)
        return None

    def finish(self) -> Parsed:
        nodes = self.out.nodes
        for node in nodes.values():
            parent = self._visible(node.parent_uuid)
            node.parent = parent if parent != node.key else None
            if node.sidechain and node.parent is None:
                prompt = next((p.text for p in node.parts if isinstance(p, TextPart)), "")
                task = self.out.task_prompts.get(prompt.strip())
                if task is not None:
                    node.parent, node.task_tool_id = task
        for node in sorted(nodes.values(), key=lambda n: n.order):
            self._place(node)
        return self.out

    def _place(self, node: Node) -> None:
        """Depth and running totals, walking up iteratively (no recursion limit)."""
        chain: list[Node] = []
        seen: set[str] = set()
        current: Node | None = node
        while current is not None and current.key not in seen and current.totals.messages == 0:
            seen.add(current.key)
            chain.append(current)
            parent = self.out.nodes.get(current.parent) if current.parent else None
            if parent is not None and parent.key in seen:  # a cycle: cut it here
                current.parent = None
                parent = None
            current = parent
        base = current if current is not None and current.totals.messages else None
        for item in reversed(chain):
            usage = item.final_usage = item.usage()
            item.depth = base.depth + 1 if base else 0
            item.totals = (base.totals if base else Totals()).plus(usage)
            base = item


def to_message(node: Node, ids: dict[str, str], family: str) -> Message:
    return Message(
        id=ids[node.key],
        parent_id=ids[node.parent] if node.parent else None,
        role=node.role,
        parts=tuple(node.parts),
        created=node.created,
        model=node.model,
        usage=node.final_usage or node.usage(),
        status=MessageStatus.ERROR if node.error else MessageStatus.COMPLETE,
        error=node.error,
        depth=node.depth,
        totals=node.totals,
    )


def to_doc(node: Node, ids: dict[str, str]) -> dict[str, Any]:
    """`to_message(node, ...).to_dict()` without making the Message (a bulk import's
    workers write documents only; a test holds the two equal)."""
    return {
        "id": ids[node.key],
        "parent_id": ids[node.parent] if node.parent else None,
        "role": node.role.value,
        "parts": [part_to_dict(p) for p in node.parts],
        "created": node.created,
        "model": node.model,
        "usage": (node.final_usage or node.usage()).to_dict(),
        "status": (MessageStatus.ERROR if node.error else MessageStatus.COMPLETE).value,
        "depth": node.depth,
        "totals": node.totals.to_dict(),
        "error": node.error,
        "writer_pid": None,
        "compact": False,
    }
