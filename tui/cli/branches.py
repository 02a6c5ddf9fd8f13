"""Subcommands on branches: fork, revert, checkpoint, restore; compare and fan-out."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from tui.cli.common import AddCommand, emit_json, known_provider, session_json
from tui.cli.files import add_file_flags, files_first
from tui.cli.options import add_option_flags, options_from
from tui.engine import Engine, InvalidInputError, Session
from tui.engine.util.humanize import money

if TYPE_CHECKING:  # loaded by the commands that use them: launching the app needs neither
    from tui.engine.explore.compare import Comparison, SideMetrics
    from tui.engine.files.history import FileSpan
    from tui.engine.turns.runtime import TurnResult


def cmd_fork(engine: Engine, args: argparse.Namespace) -> int:
    provider = known_provider(args.provider)
    parent = engine.session(args.session)
    if args.worktree and (args.files != "conversation" or args.preview):
        raise InvalidInputError(
            "--worktree gives the fork its own folder at the fork point; --files and "
            "--preview are for the shared folder: use one or the other"
        )
    if args.at and not files_first(engine, parent.id, args.at, args):
        return 0
    fork = engine.fork(
        parent.id,
        at=args.at,
        title=args.title,
        model=args.model,
        provider=provider,
        system_prompt=args.system,
        options=options_from(args, parent.options),
    )
    if args.worktree:
        from tui.engine.files.worktree import make_workspace

        try:
            fork = make_workspace(engine, fork.id)
        except (InvalidInputError, OSError):
            engine.delete(fork.id)  # no half-made fork without the folder it was asked for
            raise
        if not args.json:
            print(f"workspace: {fork.origin.cwd}", file=sys.stderr)
    if args.json:
        emit_json(session_json(fork))
    else:
        print(fork.id)
    return 0


def cmd_keep(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.explore.fanout import choose_winner
    from tui.engine.files.restore import preview
    from tui.engine.files.session_files import apply_winner, plan_winner

    winner = engine.session(args.session)
    if args.preview:
        plan = plan_winner(engine, winner.id)
        if args.json:
            emit_json(plan.to_dict())
        else:
            print(preview(engine.blobs, plan), end="")
        return 0
    undo = apply_winner(engine, winner.id, force=args.force) if args.files else None
    archived = choose_winner(engine, winner.id)
    if args.json:
        emit_json(
            {
                "winner": winner.id,
                "archived": [s.id for s in archived],
                "files": sorted(undo.files) if undo else [],
                "undo": undo.id if undo else None,
            }
        )
        return 0
    if undo is not None:
        print(
            f"files: {len(undo.files)} carried into the parent's folder "
            f"(undo: forktree undo-restore {undo.id[:8]})"
        )
    print(f"kept {winner.short_id}; archived {len(archived)} sibling(s) (not deleted)")
    return 0


def cmd_revert(engine: Engine, args: argparse.Namespace) -> int:
    if not files_first(engine, args.session, args.message, args):
        return 0
    moved, kept = engine.revert(args.session, args.message)
    if args.json:
        emit_json({"session": session_json(moved), "kept": kept and session_json(kept)})
    elif kept is None:
        print(f"{moved.short_id} is already at that message")
    else:
        print(
            f"{moved.short_id} now ends at {moved.head_id[:8] if moved.head_id else '-'}; "
            f"the old tail is kept as {kept.short_id} ({kept.title})"
        )
    return 0


def _side(label: str, m: SideMetrics) -> str:
    tools = ", ".join(f"{k}×{v}" for k, v in sorted(m.tool_calls.items())) or "no tools"
    return (
        f"{label}: {m.model or '-'} · {m.turns} turns · {m.messages} msgs · "
        f"{m.input_tokens}/{m.output_tokens} tok · {money(m.cost_usd)} · "
        f"{m.duration_s:.1f}s · {tools}"
    )


def render_comparison(c: Comparison) -> str:
    lines = [
        f"A {c.a.short_id} {c.a.title}",
        f"B {c.b.short_id} {c.b.title}",
        f"{c.shared} shared message(s)"
        + (f" up to {c.ancestor.id[:8]}" if c.ancestor else " (no common history)"),
        _side("A", c.metrics_a),
        _side("B", c.metrics_b),
    ]
    for tag, files in (("A", c.files_a), ("B", c.files_b)):
        if files:
            lines.append(f"{tag} changed {len(files)} file(s) since the fork point:")
            lines += [f"  {file_line(s)}" for s in files]
    for i, pair in enumerate(c.pairs, 1):
        lines.append(f"\n— turn {i} {'(same)' if pair.same else '(differs)'}")
        for tag, turn in (("A", pair.a), ("B", pair.b)):
            if turn is None:
                lines.append(f"  {tag}: (nothing)")
                continue
            if turn.prompt is not None:
                lines.append(f"  {tag} you › {turn.prompt.text[:200]}")
            tools = ", ".join(t.name for t in turn.tools)
            lines.append(f"  {tag} › {turn.text[:400]}" + (f"  [tools: {tools}]" if tools else ""))
        if not pair.same:
            changed = [c for c in pair.chunks if c.op != "equal"]
            for chunk in changed[:5]:
                lines.append(f"    - {chunk.a.strip()[:80]!r}  + {chunk.b.strip()[:80]!r}")
    return "\n".join(lines)


def file_line(span: FileSpan) -> str:
    counts = f"+{span.added} -{span.removed}" + ("" if span.recorded else " (contents not kept)")
    return f"{span.status:<8} {span.path}  {counts}"


def cmd_compare(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.files.history import unified_diff

    comparison = engine.compare(args.a, args.b)
    if args.json:
        data = comparison.to_dict()
        if args.diff:
            for side, files in (("a", comparison.files_a), ("b", comparison.files_b)):
                for entry, span in zip(data["files"][side], files, strict=True):
                    entry["diff"] = unified_diff(engine.blobs, span) if span.recorded else None
        emit_json(data)
        return 0
    print(render_comparison(comparison))
    if args.diff:
        for tag, files in (("A", comparison.files_a), ("B", comparison.files_b)):
            for span in files:
                if span.recorded:
                    print(f"\n{tag}: {span.path}\n" + unified_diff(engine.blobs, span), end="")
    return 0


def cmd_fanout(engine: Engine, args: argparse.Namespace) -> int:
    from tui.cli.send import terminal_runs
    from tui.engine.explore.fanout import fanout, parse_target

    targets = [parse_target(spec) for spec in args.models.split(",") if spec.strip()]
    runs = terminal_runs(engine, ask=True)

    async def run() -> list[tuple[Session, TurnResult]]:
        try:
            return await fanout(
                engine, args.session, args.prompt, targets, args.at, runs=runs,
                worktree=args.worktree,
            )  # fmt: skip
        finally:
            await runs.close()

    results = asyncio.run(run())
    if args.json:
        emit_json(
            [
                {
                    "session": s.id,
                    "title": s.title,
                    "outcome": r.outcome,
                    "error": r.error,
                    "cost_usd": r.cost_usd,
                    "output_tokens": r.output_tokens,
                }
                for s, r in results
            ]
        )
    else:
        for session, result in results:
            print(
                f"{session.short_id}  {session.title}  {result.outcome}"
                + (f": {result.error}" if result.error else "")
            )
    return 0 if all(r.outcome == "success" for _, r in results) else 1


def cmd_checkpoint(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.checkpoint(args.session, args.message, args.name)
    if args.json:
        emit_json(session_json(session))
        return 0
    print(
        f"{session.short_id}: checkpoint “{session.checkpoints[-1][1]}” at "
        f"{session.checkpoints[-1][0][:8]}"
    )
    return 0


def cmd_restore(engine: Engine, args: argparse.Namespace) -> int:
    session = engine.session(args.session)
    point = next((m for m, name in session.checkpoints if name == args.name), None)
    if point is not None and not files_first(engine, session.id, point, args):
        return 0
    fork = engine.restore(session.id, args.name)
    if args.json:
        emit_json(session_json(fork))
    else:
        print(fork.id)
    return 0


def add_commands(add: AddCommand) -> None:
    """Register the subcommands with the CLI's `add` helper."""
    p = add("fork", cmd_fork, "fork a session at a message (default: its head)", json_flag=True)
    p.add_argument("session")
    p.add_argument("--at", metavar="MESSAGE")
    p.add_argument("--title")
    p.add_argument("--model", help="model for the fork")
    p.add_argument("--provider", help="provider for the fork (see `forktree providers`)")
    add_option_flags(p)
    add_file_flags(p)
    p.add_argument(
        "--worktree",
        action="store_true",
        help="give the fork its own folder: a git worktree on its own branch (a copy "
        "where there is no git), at the fork point",
    )
    p = add(
        "revert",
        cmd_revert,
        "move a session back to a message; the old tail is kept",
        json_flag=True,
    )
    p.add_argument("session")
    p.add_argument("message")
    add_file_flags(p)
    p = add("compare", cmd_compare, "compare two sessions side by side", json_flag=True)
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument(
        "--diff", action="store_true", help="the file diffs each side made since the fork"
    )
    p = add(
        "fanout", cmd_fanout, "send one prompt to new forks, one per model, at once", json_flag=True
    )
    p.add_argument("session")
    p.add_argument("prompt")
    p.add_argument(
        "--models", required=True, help="comma-separated: model, provider/model or provider/"
    )
    p.add_argument("--at", metavar="MESSAGE", help="fork point (default: the head)")
    p.add_argument(
        "--worktree", action="store_true", help="each fork in a folder of its own (git worktree)"
    )
    p = add(
        "keep",
        cmd_keep,
        "keep a fork as the winner: archive its fan-out siblings; --files carries its "
        "file changes into the parent's folder",
        json_flag=True,
    )
    p.add_argument("session")
    p.add_argument("--files", action="store_true", help="also apply its file changes")
    p.add_argument("--preview", action="store_true", help="show what --files would write")
    p.add_argument("--force", action="store_true", help="overwrite files the parent changed")
    p = add("checkpoint", cmd_checkpoint, "name a message as a checkpoint", json_flag=True)
    p.add_argument("session")
    p.add_argument("message")
    p.add_argument("name")
    p = add("restore", cmd_restore, "fork a session from one of its checkpoints", json_flag=True)
    p.add_argument("session")
    p.add_argument("name")
    add_file_flags(p)
