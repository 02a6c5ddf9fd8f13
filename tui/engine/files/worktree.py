"""A workspace per branch: a fork's own folder, so branches never trample each other.

Where the session's folder is in a git repository, the workspace is a `git worktree` on
a branch of its own (`forktree/<id>`), with the parent's uncommitted changes copied over;
elsewhere it is a copy of the folder. Either way it then goes back to the fork point:
the file changes the parent made after it are undone in the copy (never in the parent).
Removing one refuses while it holds uncommitted changes, unless forced."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.engine.errors import InvalidInputError
from tui.engine.files import restore
from tui.engine.files.history import file_changes
from tui.engine.files.session_files import folder_of, undo_dir
from tui.engine.files.watch import SKIP_DIRS, _git_dirty, git_top
from tui.engine.sessions.model import FileChangePart, Session

if TYPE_CHECKING:
    from tui.engine.engine import Engine

GIT_TIMEOUT = 60.0


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, timeout=GIT_TIMEOUT)


def branch_name(session: Session) -> str:
    return f"forktree/{session.id[:8]}"


def _copy_dirty(top: Path, dest: Path) -> None:
    """The parent's uncommitted state in the new worktree: changed and untracked files
    copied, deleted ones removed."""
    for rel in _git_dirty(top, top) or []:
        source, target = top / rel, dest / rel
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif not source.exists() and target.is_file():
            target.unlink()


def make_workspace(engine: Engine, fork_id: str) -> Session:
    """Give the fork `fork_id` its own folder at its fork point; the updated session.
    Its warnings (files that could not be taken back) are in the raised error or none."""
    fork = engine.session(fork_id)
    if fork.parent_session_id is None:
        raise InvalidInputError("only a fork gets a workspace of its own")
    parent = engine.session(fork.parent_session_id)
    source = folder_of(parent).resolve()
    if not source.is_dir():
        raise InvalidInputError(f"the parent's folder {source} does not exist any more")
    dest = engine.store.home / "workspaces" / f"{fork.id[:12]}-{source.name}"
    top = git_top(source)
    if top is not None:
        made = _git("-C", str(top), "worktree", "add", "-q", "-b", branch_name(fork), str(dest))
        if made.returncode != 0:
            raise InvalidInputError(f"git worktree add failed: {made.stderr.strip()}")
        _copy_dirty(top, dest)
        cwd = dest / source.relative_to(top)
    else:
        shutil.copytree(source, dest, symlinks=True, ignore=shutil.ignore_patterns(*SKIP_DIRS))
        cwd = dest
    later = _after_fork_point(engine, parent, fork)
    if later:
        plan = restore.plan(cwd, later)
        restore.apply(engine.blobs, plan, undo_dir(engine), force=True)  # a fresh copy
    origin = replace(fork.origin, cwd=str(cwd), workspace=str(dest))
    with engine.store.transaction():
        current = engine.store.get_session(fork.id)
        updated = current.with_changes(origin=origin)
        engine.store.put_session(updated)
    return updated


def _after_fork_point(engine: Engine, parent: Session, fork: Session) -> list[FileChangePart]:
    transcript = engine.transcript(parent.id)
    if fork.fork_point_id is None:
        return file_changes(transcript)
    index = next((i for i, m in enumerate(transcript) if m.id == fork.fork_point_id), None)
    return [] if index is None else file_changes(transcript[index + 1 :])


def workspace_changes(path: Path) -> list[str]:
    """Uncommitted changes in a worktree (git status lines); [] for a clean one."""
    status = _git("-C", str(path), "status", "--porcelain")
    return [line for line in status.stdout.splitlines() if line.strip()]


def remove_workspace(engine: Engine, session_id: str, force: bool = False) -> str:
    """Remove the session's own folder; refuses while it holds uncommitted changes
    unless `force`. The git branch stays (it may hold commits). Returns what was done."""
    session = engine.session(session_id)
    path = Path(session.origin.workspace or "")
    if not session.origin.workspace:
        raise InvalidInputError(f"{session.short_id} has no workspace of its own")
    if (path / ".git").is_file():  # a git worktree
        dirty = workspace_changes(path)
        if dirty and not force:
            raise InvalidInputError(
                f"{path} has {len(dirty)} uncommitted change(s); commit them, or remove "
                "it anyway with --force"
            )
        gone = _git("-C", str(path), "worktree", "remove", *(["--force"] if force else []), ".")
        if gone.returncode != 0 and path.exists():
            raise InvalidInputError(f"git worktree remove failed: {gone.stderr.strip()}")
        done = f"removed worktree {path} (branch {branch_name(session)} kept)"
    else:
        if path.exists() and not force:
            raise InvalidInputError(
                f"{path} is a copy, not a git worktree: forktree cannot tell what in it is "
                "yours; remove it with --force"
            )
        shutil.rmtree(path, ignore_errors=True)
        done = f"removed the copy {path}"
    with engine.store.transaction():
        current = engine.store.get_session(session.id)
        origin = replace(current.origin, workspace=None)
        engine.store.put_session(current.with_changes(origin=origin))
    return done
