"""Session options: set on `new` / `fork`, changed by `set`, defaulted by the settings file,
and obeyed by the turns that follow (a local fake server asks for tool calls)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import openai_calls, openai_text
from tui.cli import main
from tui.engine import Engine
from tui.engine.config.settings import load_settings
from tui.engine.sessions.options import NO_OPTIONS, SessionOptions
from tui.engine.sessions.records import BadRecordError
from tui.engine.turns.run_factory import RunFactory


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_new_fork_and_set_carry_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    made = _json(capsys, "new", "--json", "--max-turns", "3", "--max-budget-usd", "$0.50",
                 "--allow-tools", "read_file, list_dir", "--system", "be brief")  # fmt: skip
    assert made["options"] == {
        "max_turns": 3,
        "max_budget_usd": 0.5,
        "allowed_tools": ["read_file", "list_dir"],
    }
    fork = _json(capsys, "fork", made["id"], "--json", "--system", "be thorough",
                 "--max-turns", "8")  # fmt: skip
    assert fork["system_prompt"] == "be thorough"
    assert fork["options"]["max_turns"] == 8 and fork["options"]["max_budget_usd"] == 0.5
    changed = _json(capsys, "set", made["id"][:8], "--json", "--max-turns", "default",
                    "--tools", "off", "--system", "")  # fmt: skip
    assert changed["options"] == {
        "max_budget_usd": 0.5,
        "tools": False,
        "allowed_tools": ["read_file", "list_dir"],
    }
    assert changed["system_prompt"] is None
    assert main(["set", made["id"]]) == 0  # no flags: shows them
    assert "budget $0.50 · no tools" in capsys.readouterr().out


def test_bad_option_values_are_refused_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--max-turns", "0"], ["--max-turns", "x"], ["--max-budget-usd", "-1"]):
        with pytest.raises(SystemExit) as bad:
            main(["new", *argv])
        assert bad.value.code == 2
    assert "must be from 1 to" in capsys.readouterr().err


def test_stored_options_survive_reopen_and_bad_ones_are_named(engine: Engine) -> None:
    options = SessionOptions(max_turns=4, tools=True, allowed_tools=())
    sid = engine.new_session(options=options).id
    engine.close()
    again = Engine.open(engine.store.home)
    assert again.session(sid).options == options
    again.close()
    assert SessionOptions.from_dict({}) is NO_OPTIONS
    with pytest.raises(BadRecordError, match="max turns"):
        SessionOptions.from_dict({"max_turns": -2})


def test_settings_defaults_apply_under_the_sessions_own(
    engine: Engine, isolated_env: Path, tmp_path: Path
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        "[session]\nmax_turns = 5\nmax_budget_usd = 1.25\nallowed_tools = ['read_file']\n"
        "tools = 'yes'\n"
    )
    settings, problems = load_settings(path)
    assert settings.session == SessionOptions(5, 1.25, None, ("read_file",))
    assert problems == [f"{path}: [session] tools ignored: tools must be true or false"]
    own = engine.new_session(options=SessionOptions(max_turns=2)).id
    plain = engine.new_session().id
    runs = RunFactory(engine, settings)
    assert runs.runtime(own).settings.max_turns == 2
    runtime = runs.runtime(plain)
    assert runtime.settings.max_turns == 5 and runtime.settings.max_budget_usd == 1.25
    assert runtime.tools is not None
    assert [spec.name for spec in runtime.tools.registry.specs()] == ["read_file"]
    engine.set_options(plain, options=SessionOptions(tools=False))
    assert runs.runtime(plain).tools is None


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    with FakeServer() as srv:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-options-test-key")
        monkeypatch.setenv("OPENAI_BASE_URL", f"{srv.url}/v1")
        yield srv


def test_a_sessions_max_turns_bounds_send_without_flags(
    server: FakeServer,
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    sid = engine.new_session(provider="openai", model="gpt-4o-mini").id
    assert main(["set", sid, "--max-turns", "2"]) == 0
    capsys.readouterr()
    calls = [Reply(chunks=openai_calls([(f"c{i}", "list_dir", {"path": "."})])) for i in range(4)]
    server.script(*calls)
    assert main(["send", sid, "loop", "--json"]) == 4
    result = json.loads(capsys.readouterr().out)
    assert result["subtype"] == "error_max_turns" and len(server.seen) == 2
    server.script(Reply(chunks=openai_text(["done"])))
    assert main(["send", sid, "again", "--json", "--max-turns", "9"]) == 0  # the flag wins


def test_continue_opens_the_latest_session_started_here(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli.main import continue_here
    from tui.engine import InvalidInputError

    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    here.mkdir()
    elsewhere.mkdir()
    older = engine.new_session(cwd=str(here)).id
    newer = engine.new_session(cwd=str(here)).id
    engine.new_session(cwd=str(elsewhere))
    engine.append(older, "user", "touched last")
    monkeypatch.chdir(here)
    assert continue_here(engine) == older
    assert newer != older
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInputError, match="no session was started in"):
        continue_here(engine)
