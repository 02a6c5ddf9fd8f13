"""A real `forktree send` killed with SIGKILL at random points while it streams: the store
opens, every earlier message is intact, the partial reply is kept as interrupted, and at
most the last second of text is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tui.engine import Engine, MessageStatus, Role

KILLS = int(os.environ.get("FORKTREE_SOAK_KILLS", "25"))  # make soak: 500
PROMPT = " ".join(f"word{i}" for i in range(400))  # a long streamed reply


class Reader(threading.Thread):
    """Collects what the child printed, with the time each chunk arrived."""

    def __init__(self, stream: object) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.chunks: list[tuple[float, str]] = []

    def run(self) -> None:
        while True:
            data = os.read(self.stream.fileno(), 4096)  # type: ignore[attr-defined]
            if not data:
                return
            self.chunks.append((time.monotonic(), data.decode("utf-8", "replace")))

    def text_before(self, moment: float) -> str:
        return "".join(c for t, c in self.chunks if t <= moment)


def _one_kill(home: Path, sid: str, rng: random.Random) -> tuple[str, str, str]:
    env = dict(os.environ, FORKTREE_HOME=str(home), FORKTREE_ECHO_DELAY="0.003")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "send", sid, PROMPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    reader = Reader(proc.stdout)
    reader.start()
    while not reader.chunks and proc.poll() is None:  # wait for the stream to begin
        time.sleep(0.005)
    time.sleep(rng.uniform(0.0, 1.3))
    killed_at = time.monotonic()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(timeout=5)
    printed = "".join(c for _, c in reader.chunks)
    return printed, reader.text_before(killed_at - 1.0), str(proc.returncode)


@pytest.mark.timeout_budget
def test_sigkill_while_streaming_loses_at_most_the_last_second(isolated_env: Path) -> None:
    engine = Engine.open(isolated_env)
    sid = engine.new_session(title="crash target").id
    engine.append(sid, "user", "the first question")
    engine.append(sid, "assistant", "the first answer")
    rng = random.Random(1234)
    interrupted = 0
    for round_ in range(KILLS):
        before = [m.id for m in Engine.open(isolated_env).transcript(sid)]
        printed, safe, code = _one_kill(isolated_env, sid, rng)
        fresh = Engine.open(isolated_env)
        messages = fresh.transcript(sid)
        # every earlier message is intact, in order
        assert [m.id for m in messages[: len(before)]] == before, f"round {round_}"
        tail = messages[len(before) :]
        if not tail:
            continue  # killed before the prompt was stored: nothing was sent
        assert tail[0].role is Role.USER and tail[0].text == PROMPT
        if len(tail) == 1:
            continue  # killed between the prompt and the reply: the prompt is kept
        reply = tail[1]
        if reply.status is MessageStatus.COMPLETE:
            assert reply.text.strip() and code == "-9"
            continue
        interrupted += 1
        assert reply.status is MessageStatus.INTERRUPTED, f"round {round_}: {reply.status}"
        assert printed.startswith(reply.text), f"round {round_}: stored text was not printed"
        assert len(reply.text) >= len(safe), (
            f"round {round_}: lost more than the last second "
            f"({len(safe)} chars printed a second before the kill, {len(reply.text)} kept)"
        )
        assert fresh.session(sid).status.value == "interrupted"  # until the next turn
    assert interrupted >= KILLS // 2  # most kills landed mid-reply
