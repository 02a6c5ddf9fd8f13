"""Bad input, fuzzed: ids, titles, prompts, import lines, settings and theme files.
Always a clear message, never a traceback, nothing lost."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.app.themes import load_themes
from tui.cli import main
from tui.engine import Engine, ForktreeError, InvalidInputError
from tui.engine.config.settings import load_settings
from tui.engine.importers.claude_code_parse import TranscriptParser
from tui.engine.importers.jsonl import iter_objects
from tui.engine.store import NotFoundError

FUZZ = settings(
    max_examples=int(os.environ.get("FORKTREE_FUZZ", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
nasty_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "../../etc/passwd",
            "..",
            "/",
            "\x00",
            "\x1b]0;pwn\x07",
            "\x1b[2J",
            "ｆｕｌｌ",
            "🙂" * 50,
            "a" * 100_000,
            "\u202e evil",
            "\r\n\r\n",
        ]
    ),
)


@pytest.fixture(scope="module")
def shared_home() -> Path:
    home = Path(tempfile.mkdtemp()) / "home"
    engine = Engine.open(home)
    sid = engine.new_session(title="keep").id
    engine.append(sid, "user", "precious")
    return home


@FUZZ
@given(ref=nasty_text)
def test_any_session_id_is_found_or_refused_clearly(shared_home: Path, ref: str) -> None:
    engine = Engine.open(shared_home)
    try:
        session = engine.session(ref)
    except NotFoundError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
    except ForktreeError as exc:  # ambiguous
        assert "ambiguous" in str(exc)
    else:
        assert session.id.startswith(ref.strip().lower())
    assert not list(shared_home.parent.rglob("passwd"))
    assert [m.text for m in engine.transcript(engine.sessions()[0].id)] == ["precious"]


@FUZZ
@given(title=nasty_text)
def test_any_title_is_stored_printable_or_refused(shared_home: Path, title: str) -> None:
    engine = Engine.open(shared_home)
    sid = engine.sessions()[0].id
    try:
        renamed = engine.rename(sid, title)
    except InvalidInputError:
        assert not "".join(ch for ch in title if ch.isprintable()).strip()
        return
    assert renamed.title and all(ch.isprintable() for ch in renamed.title)
    assert len(renamed.title) <= 200
    assert engine.session(sid).title == renamed.title


@FUZZ
@given(prompt=st.one_of(nasty_text, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_any_prompt_is_stored_exactly_or_refused(shared_home: Path, prompt: str) -> None:
    engine = Engine.open(shared_home)
    sid = engine.new_session().id
    try:
        reply = asyncio.run(engine.send(sid, prompt))
    except InvalidInputError as exc:
        assert "empty" in str(exc) or "limit" in str(exc)
        assert engine.transcript(sid) == []
        return
    stored = engine.transcript(sid)
    assert stored[0].text == prompt and stored[1].id == reply.id


def test_ten_megabyte_prompt_is_refused_with_its_size(
    shared_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = Engine.open(shared_home).sessions()[0].id
    code = main(["--home", str(shared_home), "send", sid, "x" * 10_000_000])
    err = capsys.readouterr().err
    assert code == 2 and "10,000,000 characters; the limit is 1,000,000" in err


def test_escape_sequences_are_never_printed(
    shared_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = Engine.open(shared_home)
    sid = engine.new_session().id
    evil = "\x1b]52;c;cHduZWQ=\x07 \x1b[31mred\x1b[0m \x9b2J \x00nul"
    engine.append(sid, "user", evil)
    engine.rename(sid, evil)
    for argv in (["show", sid], ["list"], ["tree"]):
        main(["--home", str(shared_home), *argv])
        out = capsys.readouterr().out
        assert not any(ch in out for ch in "\x1b\x07\x9b\x00"), argv


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=120),
            st.text(max_size=120).map(str.encode),
            st.sampled_from(
                [
                    b'{"type":"user","uuid":"x","parentUuid":"x"}',
                    b'{"type":"assistant","uuid":"y","message":{"content":7}}',
                    b'{"type":"user","uuid":"z","message":{"content":[1,{}]}}',
                    b'{"a":1}{"b":2}',
                    b'{"type":"summary"}',
                ]
            ),
        ),
        max_size=30,
    )
)
def test_malformed_import_lines_never_fail(lines: list[bytes]) -> None:
    parser = TranscriptParser()
    for obj in iter_objects(lines):
        parser.feed(obj)
    parsed = parser.finish()
    assert parsed.skipped >= 0
    for node in parsed.nodes.values():
        assert node.depth >= 0


@FUZZ
@given(
    body=st.one_of(
        st.text(max_size=200),
        st.sampled_from(
            [
                "providers = 1",
                "[providers.x]\nkind = 3",
                "default_provider = []",
                '[providers.a]\nkind = "openai"\nbase_url = 5',
            ]
        ),
    )
)
def test_malformed_settings_are_reported(body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "settings.toml"
        path.write_text(body)
        _, problems = load_settings(path)
        assert all(str(path) in p for p in problems)


@FUZZ
@given(
    body=st.one_of(
        st.text(max_size=200),
        st.sampled_from(
            [
                'name = "x"\nprimary = "not a colour"',
                'name = ""',
                'name = "x"\nprimary = "#fff"\nbogus=1',
                'name = "ok"\nprimary = "#112233"',
            ]
        ),
    )
)
def test_malformed_theme_files_are_reported_once(body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "t.toml").write_text(body)
        themes, problems = load_themes([Path(tmp)])
        assert len(themes) + len(problems) == 1
