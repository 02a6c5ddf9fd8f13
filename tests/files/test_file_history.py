"""File history: each tool call's changes are recorded on its message, with contents in
the blob store, and a folder can be put back to any message (and the restore undone)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_calls, anthropic_text
from tests.tools.test_tool_loop import Approver, Run, _engine, _session, _setup
from tui.engine import Engine, InvalidInputError
from tui.engine.files import restore
from tui.engine.files.blobs import BlobStore, blob_hash
from tui.engine.files.history import file_changes, spans
from tui.engine.tools import Decision, Verdict

ALLOW = Verdict(Decision.ALLOW_ALWAYS)


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as srv:
        yield srv


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    work = tmp_path / "repo"
    work.mkdir()
    (work / "notes.txt").write_text("buy milk\n")
    (work / "gone.txt").write_text("old\n")
    git(work, "init", "-q", "-b", "main")
    git(work, "-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    git(work, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start")
    return work


def _call(tool_id: str, name: str, **args: str) -> Reply:
    return Reply(chunks=anthropic_calls([(tool_id, name, args)]))


def _script(server: FakeServer) -> None:
    server.script(
        _call("w", "write_file", path="new.txt", content="hi\n"),
        _call("e", "edit_file", path="notes.txt", old_text="milk", new_text="oat milk"),
        _call("s", "run_command", command="echo eggs >> notes.txt && rm gone.txt"),
        Reply(chunks=anthropic_text(["Done."])),
    )


async def _work(engine: Engine, server: FakeServer, folder: Path) -> Run:
    _script(server)
    eng = _engine(engine, server)
    run = Run(eng, _session(eng, folder), _setup(Approver(ALLOW, ALLOW, ALLOW)))
    assert (await run.runtime.send("tidy up")).outcome == "success"
    return run


async def test_each_call_records_the_files_it_changed(
    engine: Engine, server: FakeServer, repo: Path
) -> None:
    run = await _work(engine, server, repo)
    changes = file_changes(run.transcript)
    assert [(c.tool_id, c.path) for c in changes] == [
        ("w", "new.txt"),
        ("e", "notes.txt"),
        ("s", "gone.txt"),  # the shell's changes, found through git status
        ("s", "notes.txt"),
    ]
    write, edit, removed, appended = changes
    assert write.before is None and engine.blobs.get(write.after or "") == b"hi\n"
    assert edit.before == blob_hash(b"buy milk\n") and (edit.added, edit.removed) == (1, 1)
    assert removed.after is None and engine.blobs.get(removed.before or "") == b"old\n"
    assert engine.blobs.get(appended.after or "") == b"buy oat milk\neggs\n"
    assert [s.status for s in spans(changes)] == ["added", "modified", "deleted"]


async def test_a_shell_command_in_a_folder_without_git_is_found_by_a_scan(
    engine: Engine, server: FakeServer, tmp_path: Path
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.txt").write_text("one\n")
    server.script(
        _call("s", "run_command", command="echo two >> a.txt && mkdir d && echo x > d/b.txt"),
        Reply(chunks=anthropic_text(["ok"])),
    )
    eng = _engine(engine, server)
    run = Run(eng, _session(eng, folder), _setup(Approver(ALLOW)))
    await run.runtime.send("go")
    assert [(c.path, c.before is None) for c in file_changes(run.transcript)] == [
        ("a.txt", False),
        ("d/b.txt", True),
    ]


async def test_restore_puts_the_folder_back_and_can_be_undone(
    engine: Engine, server: FakeServer, repo: Path, tmp_path: Path
) -> None:
    run = await _work(engine, server, repo)
    prompt = run.transcript[0]
    later = file_changes(run.transcript[1:])
    plan = restore.plan(repo, later)
    assert [(i.path, i.action) for i in plan.items] == [
        ("new.txt", "remove"),
        ("notes.txt", "rewrite"),
        ("gone.txt", "create"),
    ]
    assert "-buy oat milk" in restore.preview(engine.blobs, plan) and not plan.conflicts
    undo_dir = tmp_path / "undo"
    record = restore.apply(engine.blobs, plan, undo_dir)
    assert not (repo / "new.txt").exists() and (repo / "gone.txt").read_text() == "old\n"
    assert (repo / "notes.txt").read_text() == "buy milk\n"
    assert prompt.parts  # the conversation is untouched by a files-only restore
    restore.undo(engine.blobs, restore.load_undo(undo_dir, record.id[:6]), undo_dir)
    assert (repo / "new.txt").read_text() == "hi\n" and not (repo / "gone.txt").exists()
    assert (repo / "notes.txt").read_text() == "buy oat milk\neggs\n"


async def test_a_file_changed_outside_is_a_conflict_never_overwritten(
    engine: Engine, server: FakeServer, repo: Path, tmp_path: Path
) -> None:
    run = await _work(engine, server, repo)
    (repo / "notes.txt").write_text("the user's own edit\n")
    plan = restore.plan(repo, file_changes(run.transcript[1:]))
    assert [i.path for i in plan.conflicts] == ["notes.txt"]
    with pytest.raises(InvalidInputError, match="changed outside forktree"):
        restore.apply(engine.blobs, plan, tmp_path / "undo")
    assert (repo / "notes.txt").read_text() == "the user's own edit\n"  # nothing written
    assert (repo / "new.txt").exists()
    restore.apply(engine.blobs, plan, tmp_path / "undo", force=True)
    assert (repo / "notes.txt").read_text() == "buy milk\n"


def test_blobs_store_small_edits_as_deltas(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    text = b"".join(b"line %d of a ten kilobyte file, more or less\n" % i for i in range(220))
    previous = blobs.put(text)
    whole = blobs.size()
    versions = [text]
    for i in range(100):
        text = text.replace(b"line %d " % (i * 2), b"LINE %d " % (i * 2), 1)
        versions.append(text)
        previous = blobs.put(text, base=previous)
    assert blobs.size() - whole < 100 * 200  # each edit costs its own few bytes
    assert blobs.get(previous) == versions[-1]
    assert blobs.get(blob_hash(versions[37])) == versions[37]


def test_a_damaged_blob_is_named(tmp_path: Path) -> None:
    from tui.engine.files.blobs import BlobError

    blobs = BlobStore(tmp_path / "blobs")
    digest = blobs.put(b"content")
    (tmp_path / "blobs" / digest).write_bytes(b"garbage")
    with pytest.raises(BlobError, match=digest[:12]):
        BlobStore(tmp_path / "blobs").get(digest)  # a later run reads it from disk
