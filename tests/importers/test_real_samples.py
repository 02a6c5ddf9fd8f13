"""The Codex and OpenCode importers on the real samples in ../shared/fixtures (skipped
where they are not beside the checkout): sessions, messages and tool calls, each checked
against a count made here straight from the raw records, not by the importer's code."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.importers.agents import agent
from tui.engine.sessions.model import Role, ToolResultPart, ToolUsePart

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
CALL_TYPES = {"function_call", "custom_tool_call", "local_shell_call", "web_search_call"}


def _needs(folder: Path) -> Path:
    if not folder.is_dir():
        pytest.skip(f"{folder} is not beside this checkout")
    return folder


def _raw_codex(path: Path) -> Counter[str]:
    """Per file: its headers, its tool calls, the prompts Codex itself logged."""
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        item = obj.get("payload") if "payload" in obj else obj
        kind = item.get("type") if isinstance(item, dict) else None
        if obj.get("type") == "session_meta" or ("instructions" in obj and "id" in obj):
            counts["headers"] += 1
        if kind in CALL_TYPES and obj.get("type", "response_item") in ("response_item", kind):
            counts["calls"] += 1
        if obj.get("type") == "event_msg" and kind == "user_message":
            counts["prompts"] += 1
    return counts


def _imported(engine: Engine) -> dict[str, tuple[int, int, int, int]]:
    """Per source file name: messages, prompts, tool calls, tool results."""
    out = {}
    for session in engine.sessions():
        t = engine.transcript(session.id)
        parts = [p for m in t for p in m.parts]
        out[Path(session.origin.source_path or "").name] = (
            len(t),
            sum(m.role is Role.USER for m in t),
            sum(isinstance(p, ToolUsePart) for p in parts),
            sum(isinstance(p, ToolResultPart) for p in parts),
        )
    return out


def test_codex_samples_match_a_count_of_their_raw_records(engine: Engine) -> None:
    folder = _needs(FIXTURES / "codex")
    files = sorted(folder.glob("*.jsonl"))
    report = agent("codex").importer(engine).run(folder).to_dict()
    assert report["failed"] == 0
    assert report["sessions"] == len(files)  # one thread per rollout here
    imported = _imported(engine)
    for path in files:
        raw = _raw_codex(path)
        _messages, prompts, calls, results = imported[path.name]
        assert calls == raw["calls"], path.name
        assert results <= calls, path.name
        body = path.read_text(encoding="utf-8")  # redacted or trimmed: texts no longer tell
        altered = "[REDACTED" in body or "[trimmed for fixture]" in body
        if raw["prompts"] and not altered:  # the prompts Codex logged as it took them
            assert prompts == raw["prompts"], path.name


def test_opencode_sample_matches_a_count_of_its_raw_objects(engine: Engine) -> None:
    sample = next(_needs(FIXTURES / "opencode").glob("*.jsonl"), None)
    if sample is None:
        pytest.skip("no OpenCode storage sample")
    text, decoder, i = sample.read_text(encoding="utf-8"), json.JSONDecoder(), 0
    raw: Counter[str] = Counter()
    while True:  # pretty-printed objects one after another
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        value, i = decoder.raw_decode(text, i)
        if isinstance(value, dict) and "messageID" in value:
            raw["tools"] += value.get("type") == "tool"
        elif isinstance(value, dict) and value.get("role") in ("user", "assistant"):
            raw["messages"] += 1
        elif isinstance(value, dict) and str(value.get("id", "")).startswith("ses"):
            raw["sessions"] += 1
    report = agent("opencode").importer(engine).run(sample).to_dict()
    assert report["failed"] == 0
    assert report["sessions"] == raw["sessions"] == len(engine.sessions())
    transcripts = [engine.transcript(s.id) for s in engine.sessions()]
    assert sum(len(t) for t in transcripts) == raw["messages"]
    tools = sum(isinstance(p, ToolUsePart) for t in transcripts for m in t for p in m.parts)
    assert tools == raw["tools"]
