"""Files on the command line: `--files` on revert, restore and fork (conversation only,
conversation and files, or files only, with `--preview` first), `forktree files` (what a
branch changed) and `forktree undo-restore`."""

from __future__ import annotations

import argparse

from tui.cli.common import AddCommand, emit_json
from tui.engine import Engine
from tui.engine.files.history import unified_diff
from tui.engine.files.restore import preview
from tui.engine.files.session_files import (
    FILE_MODES,
    branch_files,
    files_back_to,
    plan_back_to,
    undo_restore,
)


def add_file_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--files",
        choices=FILE_MODES,
        default="conversation",
        help="what moves back: the conversation (default), both, or the files only",
    )
    p.add_argument(
        "--preview",
        action="store_true",
        help="show which files would change, and how, without changing anything",
    )
    p.add_argument(
        "--force", action="store_true", help="also overwrite files changed outside forktree"
    )


def files_first(
    engine: Engine, session_id: str, message_ref: str, args: argparse.Namespace
) -> bool:
    """Handle `--files` / `--preview` for putting the folder back to `message_ref`.
    True when the command should go on to move the conversation."""
    if args.files == "conversation" and not args.preview:
        return True
    plan = plan_back_to(engine, session_id, message_ref)
    if args.preview:
        if args.json:
            emit_json(plan.to_dict())
        else:
            print(preview(engine.blobs, plan), end="")
        return False
    undo = files_back_to(engine, session_id, message_ref, force=args.force)
    if not args.json:
        print(
            f"files: {len(undo.files)} put back in {plan.folder} "
            f"(undo: forktree undo-restore {undo.id[:8]})"
        )
    return args.files == "both"


def cmd_files(engine: Engine, args: argparse.Namespace) -> int:
    spans = branch_files(engine, args.session, since_fork=not args.all)
    if args.json:
        emit_json(
            [
                {
                    "path": s.path,
                    "status": s.status,
                    "added": s.added,
                    "removed": s.removed,
                    "recorded": s.recorded,
                    "diff": unified_diff(engine.blobs, s) if args.diff and s.recorded else None,
                }
                for s in spans
            ]
        )
        return 0
    if not spans:
        print("no files changed" + ("" if args.all else " since the fork point"))
    for span in spans:
        counts = f"+{span.added} -{span.removed}" if span.recorded else "(not recorded)"
        print(f"{span.status:<8} {span.path}  {counts}")
        if args.diff and span.recorded:
            print(unified_diff(engine.blobs, span), end="")
    return 0


def cmd_undo_restore(engine: Engine, args: argparse.Namespace) -> int:
    paths = undo_restore(engine, args.id)
    if args.json:
        emit_json({"restored": paths})
    else:
        print(f"put back {len(paths)} file(s) as they were before the restore")
    return 0


def cmd_workspace_rm(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.files.worktree import remove_workspace

    done = remove_workspace(engine, args.session, force=args.force)
    if args.json:
        emit_json({"session": engine.session(args.session).id, "done": done})
    else:
        print(done)
    return 0


def add_commands(add: AddCommand) -> None:
    p = add("files", cmd_files, "the files a session changed since its fork point", json_flag=True)
    p.add_argument("session")
    p.add_argument("--all", action="store_true", help="over its whole transcript")
    p.add_argument("--diff", action="store_true", help="with each file's diff")
    p = add("undo-restore", cmd_undo_restore, "undo a restore of files", json_flag=True)
    p.add_argument("id", help="the id a restore printed")
    p = add(
        "workspace-rm",
        cmd_workspace_rm,
        "remove a fork's own folder (refuses with uncommitted changes)",
        json_flag=True,
    )
    p.add_argument("session")
    p.add_argument("--force", action="store_true", help="even with uncommitted changes")
