"""Reading a large index between frames: the switcher's list of every session comes
from the same decoded files the steps read, and the steps read each file once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.sessions.model import Session


def test_sessions_are_read_a_file_per_step_and_then_listed_without_decoding_again(
    engine: Engine, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = {engine.new_session(title=f"s{i}").id for i in range(60)}
    fresh = Engine.open(isolated_env)  # nothing read yet
    decoded: list[str] = []
    from_dict = Session.from_dict.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Session], data: dict[str, object]) -> Session:
        decoded.append(str(data.get("id")))
        return from_dict(cls, data)

    monkeypatch.setattr(Session, "from_dict", classmethod(counted))
    steps = sum(1 for _ in fresh.sessions_in_steps())
    assert steps >= 16  # one index file per step: keys and frames go between them
    assert set(decoded) >= made and len(decoded) == len(set(decoded))
    decoded.clear()
    assert {s.id for s in fresh.sessions()} >= made
    assert decoded == []  # listed from what the steps decoded
