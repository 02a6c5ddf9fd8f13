"""A big Claude Code import is parsed by worker processes: the store it makes is the one
the importing process alone would make, and nothing is lost when a worker fails."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.importers.store_contents import contents
from tui.engine import Engine
from tui.engine.importers import bulk, claude_code
from tui.engine.importers.bulk import bulk_pool
from tui.engine.importers.claude_code import ClaudeCodeImporter
from tui.engine.importers.claude_code_families import build_families
from tui.engine.importers.claude_code_parse import TranscriptParser
from tui.engine.importers.jsonl import parse_files
from tui.engine.util.process_pool import OrderedPool

from .cc_fixture import Transcript, text, tool_use

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process start")


def _history(root: Path) -> None:
    """Sessions with a branch, a subagent file, a fork of another file, a damaged line,
    and a copy of one file under another name (the same records: the same family)."""
    for n in range(6):
        sid = f"{n:08d}-2222-3333-4444-555555555555"
        t = Transcript(session_id=sid, cwd=f"/work/p{n % 2}")
        t.n = n * 1000
        p = t.user(f"fix bug {n} in the parser", None)
        a = t.assistant([text("Reading it."), tool_use(f"t{n}", "Read", {"file_path": "a.py"})],
                        p, f"m{n}")  # fmt: skip
        r = t.result(f"t{n}", "def parse(): ...", a)
        t.assistant([text(f"fixed {n}")], r, f"m{n}b")
        if n == 1:  # a rewind: a real branch
            b = t.user("try another way", a)
            t.assistant([text("another way")], b, "m1c")
        if n == 2:  # a subagent in its own file
            t.assistant([tool_use("task", "Task", {"description": "Scan", "prompt": "Scan"})],
                        r, "m2t")  # fmt: skip
            agent = Transcript(session_id=sid)
            agent.n = 9000
            s = agent.user("Scan", None, isSidechain=True, agentId="a1")
            agent.assistant([text("3 modules")], s, "ma", isSidechain=True, agentId="a1")
            agent.write(root / "-work-p0" / sid / "subagents" / "agent-a1.jsonl")
        if n == 3:  # forked from session 0
            t.lines[0]["forkedFrom"] = {"sessionId": f"{0:08d}-2222-3333-4444-555555555555"}
        path = t.write(root / f"-work-p{n % 2}" / f"{sid}.jsonl")
        if n == 4:
            with path.open("a") as f:
                f.write("{not json\n")
        if n == 5:
            (root / "-work-p1" / "copy.jsonl").write_text(path.read_text())


def _run(home: Path, root: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(bulk, "PARALLEL_BYTES", 0 if parallel else 1 << 60)
    monkeypatch.setattr(bulk, "worker_count", lambda: 2)
    engine = Engine.open(home)
    try:
        report = ClaudeCodeImporter(engine).run(root).to_dict()
        return report, contents(engine)
    finally:
        engine.close()


def test_workers_make_the_store_the_importing_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "projects"
    _history(root)
    started: list[OrderedPool[Any] | None] = []

    def counted(*arguments: Any) -> OrderedPool[Any] | None:
        started.append(bulk_pool(*arguments))
        return started[-1]

    monkeypatch.setattr(claude_code, "bulk_pool", counted)
    seq_report, seq = _run(tmp_path / "seq", root, False, monkeypatch)
    assert not any(started)  # too little input for workers
    par_report, par = _run(tmp_path / "par", root, True, monkeypatch)
    assert any(started)  # the workers ran
    assert par_report == seq_report and par == seq
    assert par_report["imported"] == 7 and par_report["skipped_lines"] == 1
    titles = {doc["title"] for doc, _ in par.values()}
    assert {"fix bug 1 in the parser (branch)", "subagent: Scan"} <= titles
    forked = next(doc for doc, _ in par.values() if doc["title"] == "fix bug 3 in the parser")
    assert forked["parent_session_id"] is not None  # linked under session 0


def test_a_reimport_after_workers_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "projects"
    _history(root)
    _, first = _run(tmp_path / "home", root, True, monkeypatch)
    report, again = _run(tmp_path / "home", root, True, monkeypatch)
    assert report["unchanged"] == 7 and again == first


def test_killed_workers_lose_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed (say, out of memory): its files are parsed by the importing
    process instead, and the import completes."""
    root = tmp_path / "projects"
    _history(root)

    def killed(*arguments: Any) -> OrderedPool[Any] | None:
        pool = bulk_pool(*arguments)
        assert pool is not None
        for pid in pool.pids:
            os.kill(pid, signal.SIGKILL)
        return pool

    _, seq = _run(tmp_path / "seq", root, False, monkeypatch)
    monkeypatch.setattr(claude_code, "bulk_pool", killed)
    report, par = _run(tmp_path / "par", root, True, monkeypatch)
    assert report["imported"] == 7 and report["failed"] == 0 and par == seq


def test_an_existing_search_index_finds_what_workers_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "projects"
    _history(root)
    engine = Engine.open(tmp_path / "home")
    try:
        assert engine.search("parser") == []  # builds the (empty) index
        monkeypatch.setattr(bulk, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(bulk, "worker_count", lambda: 2)
        ClaudeCodeImporter(engine).run(root)
        hits = engine.search("another way")  # the prompt and the reply after the rewind
        assert [h.session.title for h in hits if h.session] == ["fix bug 1 in the parser"] * 2
    finally:
        engine.close()


def test_the_documents_workers_write_are_the_messages_as_stored(tmp_path: Path) -> None:
    """Workers write each message's document straight from the parse (no Message made):
    field for field what `Message.to_dict` stores, errors and tool results included."""
    root = tmp_path / "projects"
    _history(root)
    t = Transcript(session_id="e0000000-2222-3333-4444-555555555555")
    p = t.user("call the API", None)
    t.assistant([text("")], p, "m_err", isApiErrorMessage=True, error="overloaded")
    t.write(root / "errors.jsonl")
    compared = 0
    for path in sorted(root.rglob("*.jsonl")):
        parsed, _ = parse_files([path], TranscriptParser())
        assert parsed is not None
        for family in build_families(parsed, str(path)).families:
            assert family.docs() == [m.to_dict() for m in family.messages()]
            compared += len(family.nodes)
    assert compared > 20


def test_where_no_process_can_start_the_import_parses_every_file_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "projects"
    _history(root)
    _, seq = _run(tmp_path / "seq", root, False, monkeypatch)

    def refused(*arguments: Any) -> Any:
        raise OSError(38, "Function not implemented")  # a sandbox without /dev/shm

    monkeypatch.setattr(bulk, "OrderedPool", refused)
    report, par = _run(tmp_path / "par", root, True, monkeypatch)
    assert report["imported"] == 7 and par == seq
    assert not list((tmp_path / "par" / "incoming").iterdir())


def test_batches_end_with_the_file_that_fills_them() -> None:
    assert list(bulk.batches(list("abcd"), [3, 0, 5, 1], 4)) == [["a", "b", "c"], ["d"]]
    assert list(bulk.batches([], [], 4)) == []
