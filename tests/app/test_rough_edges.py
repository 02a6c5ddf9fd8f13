"""Rough edges a new user hits: F9 reaches the user's own themes, and an unknown
provider is refused when the session is made, not at its first send."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app.app import ForktreeApp
from tui.cli import main
from tui.engine import Engine


async def test_f9_cycles_every_installed_theme_the_users_too(
    engine: Engine, isolated_env: Path
) -> None:
    themes = isolated_env.parent / "config" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.toml").write_text('name = "my-own"\nprimary = "#aa3366"\ndark = true\n')
    app = ForktreeApp(engine, remember_theme=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        seen = {app.theme}
        for _ in range(4):
            await pilot.press("f9")
            await pilot.pause()
            seen.add(app.theme)
    assert "my-own" in seen
    assert {"forktree-dark", "forktree-light", "forktree-high-contrast"} <= seen


@pytest.mark.parametrize(
    "command", [["new", "--provider", "nope"], ["fork", "SID", "--provider", "nope"]]
)
def test_an_unknown_provider_is_refused_with_the_known_ones(
    engine: Engine, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    sid = engine.new_session().id
    before = len(engine.sessions())
    assert main([sid if part == "SID" else part for part in command]) == 2
    err = capsys.readouterr().err
    assert "unknown provider 'nope'" in err and "echo" in err
    assert len(Engine.open().sessions()) == before
