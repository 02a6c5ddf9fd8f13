"""`forktree send`: one prompt, the reply streamed to stdout; tool calls, their results
and permission questions go to stderr (asked on the terminal, else rejected)."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

from tui.cli.common import AddCommand, emit_json
from tui.cli.event_json import event_json
from tui.engine import Engine, InvalidInputError
from tui.engine.sessions.events import (
    ReplyUpdated,
    Retrying,
    TextDelta,
    ToolCall,
    ToolOutput,
    ToolResult,
)
from tui.engine.tools import Approver, Decision, PermissionRequest, Verdict, nobody_approves
from tui.engine.turns.run_factory import RunFactory
from tui.engine.turns.runtime import RuntimeEvent, TurnResult

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
EXIT_LIMIT = 4
EXIT_CODES = {"success": 0, "error": 1, "interrupted": 3}  # 2: usage; 4: a limit stopped it
ANSWERS = {"y": Decision.ALLOW_ONCE, "a": Decision.ALLOW_ALWAYS, "n": Decision.REJECT}


def _say(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


async def _read_line(question: str) -> str:
    _say(question)
    line = await asyncio.to_thread(sys.stdin.readline)
    return line.strip()


async def ask_on_terminal(request: PermissionRequest) -> Verdict:
    """Shows the call in full and waits for y (once), a (always) or n (reject)."""
    _say(f"\n── {request.name} wants to {request.summary}  (in {request.folder})\n")
    if request.name == "run_command":
        _say(f"   $ {request.input.get('command', '')}\n")
    elif request.name in ("write_file", "edit_file"):
        shown = request.input.get("content", request.input.get("new_text", ""))
        lines = str(shown).splitlines()
        _say("".join(f"   │ {line}\n" for line in lines[:20]))
        if len(lines) > 20:
            _say(f"   │ … {len(lines) - 20} more lines\n")
    while True:
        answer = (
            await _read_line("   allow? [y] once  [a] always, this session  [n] no: ")
        ).lower()
        if answer[:1] in ANSWERS:
            decision = ANSWERS[answer[:1]]
            break
        if answer == "":  # end of input: nobody there to say yes
            return Verdict(Decision.REJECT, "no answer")
    if decision is not Decision.REJECT:
        return Verdict(decision)
    return Verdict(decision, await _read_line("   why not? (optional): "))


async def _show(event: RuntimeEvent) -> None:
    if not isinstance(event, ReplyUpdated):
        return
    inner = event.event
    if type(inner) is TextDelta:
        sys.stdout.write(inner.text)
        sys.stdout.flush()
    elif isinstance(inner, ToolCall):
        _say(f"\n⚙ {inner.name} {inner.input}\n")
    elif isinstance(inner, ToolOutput):
        _say(inner.text)
    elif isinstance(inner, Retrying):
        _say(
            f"forktree: {inner.reason}; retrying in {inner.delay_s:.1f}s "
            f"(attempt {inner.attempt} of {inner.attempts})\n"
        )
    elif isinstance(inner, ToolResult):
        first = inner.content.strip().splitlines()[:1]
        _say(f"  {'✗' if inner.is_error else '✓'} {first[0][:200] if first else ''}\n")


def terminal_runs(engine: Engine, ask: bool, tools: bool = True) -> RunFactory:
    """Runs for the command line: tool calls asked about on the terminal one at a time
    (when `ask` and there is one), else rejected; problems go to stderr."""
    approver: Approver = nobody_approves
    if ask and sys.stdin.isatty():
        one_at_a_time = asyncio.Lock()

        async def approver(request: PermissionRequest) -> Verdict:
            async with one_at_a_time:
                return await ask_on_terminal(request)

    return RunFactory(
        engine, approver=approver, on_problem=lambda p: _say(f"forktree: {p}\n"), tools=tools
    )


def cmd_send(engine: Engine, args: argparse.Namespace) -> int:
    from_stdin = args.prompt == "-"
    if from_stdin:
        try:
            stdin = getattr(sys.stdin, "buffer", None)  # bytes, to check they are UTF-8
            prompt = stdin.read().decode("utf-8") if stdin else sys.stdin.read()
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                f"the prompt on stdin is not UTF-8 text (byte {exc.start} of it)"
            ) from None
    else:
        prompt = args.prompt
    session = engine.session(args.session)
    runs = terminal_runs(engine, ask=not from_stdin, tools=not args.no_tools)
    options = runs.options(session.id)  # the flags override them for this run only
    if args.max_turns is not None:
        options = options.with_changes(max_turns=args.max_turns)
    if args.max_budget_usd is not None:
        options = options.with_changes(max_budget_usd=args.max_budget_usd)
    limits = runs.run_settings(options)
    listener = _stream_json if args.stream_json else _quiet if args.json else _show
    runtime = runs.runtime(session.id, listener=listener, settings=limits)

    signalled: list[int] = []

    def stop(signum: int) -> None:  # SIGTERM, SIGHUP: stop the reply, keep what came
        signalled.append(signum)
        runtime.abort()

    async def run() -> TurnResult:
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, stop, signum)
        try:
            return await runtime.send(prompt)
        finally:
            await runs.close()

    try:
        result = asyncio.run(run())
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        print("forktree: interrupted; the partial reply is kept", file=sys.stderr)
        return 130
    if args.json:
        emit_json(result.to_dict())
    elif not args.stream_json:
        sys.stdout.write("\n")
    if signalled:
        name = signal.Signals(signalled[0]).name
        print(f"forktree: stopped by {name}; the partial reply is kept", file=sys.stderr)
        return 128 + signalled[0]
    if result.outcome != "success" and not (args.json or args.stream_json):
        print(f"forktree: reply {result.subtype}: {result.error}", file=sys.stderr)
    return EXIT_CODES.get(result.subtype, EXIT_LIMIT if result.limit else 1)


async def _quiet(event: RuntimeEvent) -> None:
    return None


async def _stream_json(event: RuntimeEvent) -> None:
    data = event_json(event)
    if data is not None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def add_commands(add: AddCommand) -> None:
    p = add("send", cmd_send, "send a prompt and stream the reply to stdout")
    p.add_argument("session")
    p.add_argument("prompt", help="the prompt, or - to read it from stdin")
    p.add_argument(
        "--no-tools", action="store_true", help="do not offer the agent tools to the model"
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print only the turn's result, as JSON")
    out.add_argument("--stream-json", action="store_true", help="print every event as a JSON line")
    p.add_argument("--max-turns", type=_positive_int, metavar="N", help="model turns at most")
    p.add_argument(
        "--max-budget-usd", type=_positive_float, metavar="USD", help="stop once this is spent"
    )
    p.epilog = "exit codes: 0 success, 1 error, 2 bad input, 3 interrupted, 4 a limit reached"


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1e9:
        raise argparse.ArgumentTypeError("must be a number of dollars, 0 or more")
    return value
