"""The action registry: one declaration per action feeds the bindings, the command
palette, the README's key table and the user's `[keys]` remaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import main_screen
from tui.app.actions.registry import ACTIONS, BY_ID, key_display, key_table, palette_actions
from tui.app.app import ForktreeApp
from tui.app.keymap import checked_keymap, valid_key
from tui.app.screens.main import MainScreen
from tui.app.widgets.prompt import PromptArea
from tui.app.widgets.session_tree import SessionTree
from tui.app.widgets.transcript import Transcript
from tui.engine import Engine

README = Path(__file__).resolve().parents[2] / "README.md"
OWNERS = {"main": MainScreen, "transcript": Transcript, "tree": SessionTree, "prompt": PromptArea}


def test_the_readme_key_table_is_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("| key | does |")
    table = text[start : text.index("\n\n", start)]
    assert table == key_table(), "README key table is stale; paste key_table() into it"


def test_ids_are_unique_and_every_action_exists() -> None:
    assert len(BY_ID) == len(ACTIONS)
    for spec in ACTIONS:
        if not spec.bound:
            continue
        namespace, _, name = spec.action.rpartition(".")
        owner = {"screen": MainScreen, "app": ForktreeApp}.get(namespace, OWNERS.get(spec.scope))
        if spec.scope == "app":
            owner = ForktreeApp
        name = name.split("(")[0]
        assert owner is not None and hasattr(owner, f"action_{name}"), spec.id


def test_the_palette_offers_the_actions_without_keys_too() -> None:
    titles = [s.title for s in palette_actions()]
    assert "Fan out" in titles and "Compact session" in titles and "Fork here" not in titles


def test_keys_are_written_as_the_readme_writes_them() -> None:
    assert [key_display(k) for k in ("alt+up", "f2", "escape", "ctrl+k", "pageup")] == [
        "alt+↑",
        "F2",
        "Esc",
        "ctrl+k",
        "PgUp",
    ]


@pytest.mark.parametrize(
    ("wanted", "kept", "problem"),
    [
        ({"main.fork": "f10"}, {"main.fork": "f10"}, None),
        ({"main.fork": "f10, ctrl+l"}, {"main.fork": "f10,ctrl+l"}, None),
        ({"main.frok": "f10"}, {}, "'main.frok' is not a binding id"),
        ({"main.fork": "ctrl+nosuchkey"}, {}, "'ctrl+nosuchkey' is not a key name"),
        ({"main.fork": "hyperdrive+x"}, {}, "is not a key name"),
        ({"prompt.up": "k"}, {}, "is not a binding id"),  # handled by the widget itself
        ({"main.fork": "ctrl+y"}, {"main.fork": "ctrl+y"}, "edits text in the prompt"),
    ],
)
def test_keymap_is_checked(
    wanted: dict[str, str], kept: dict[str, str], problem: str | None
) -> None:
    keymap, problems = checked_keymap(wanted)
    assert keymap == kept
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0]


def test_valid_keys() -> None:
    assert all(valid_key(k) for k in ("a", "A", "ctrl+y", "f12", "alt+up", "shift+tab", "%"))
    assert not any(valid_key(k) for k in ("", "ctrl+", "ctrl+zz", "wat+a"))


def _settings(isolated_env: Path, text: str) -> None:
    config = isolated_env.parent / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(text, encoding="utf-8")


async def test_a_remapped_key_forks_and_the_old_one_no_longer_does(
    demo_engine: Engine, isolated_env: Path
) -> None:
    _settings(isolated_env, '[keys]\n"main.fork" = "f10"\n')
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        parent = screen.current
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert screen.current == parent  # the default key is free now
        await pilot.press("f10")
        await pilot.pause()
        fork = demo_engine.session(screen.current or "")
        assert fork.parent_session_id == parent


async def test_a_bad_remap_warns_and_keeps_the_default(
    demo_engine: Engine, isolated_env: Path
) -> None:
    _settings(isolated_env, '[keys]\n"main.frok" = "ctrl+y"\n')
    app = ForktreeApp(demo_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        warnings = [n.message for n in app._notifications]
        assert any("'main.frok' is not a binding id" in w for w in warnings)
        screen = main_screen(app)
        parent = screen.current
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert demo_engine.session(screen.current or "").parent_session_id == parent


def test_no_main_screen_key_is_one_the_prompt_keeps() -> None:
    # the prompt has the focus most of the time: a key it edits with would never arrive
    from tui.app.keymap import PROMPT_KEYS

    for spec in ACTIONS:
        if spec.scope in ("main", "app") and spec.key and spec.bound and not spec.priority:
            taken = [k for k in spec.key.split(",") if k in PROMPT_KEYS]
            assert not taken, f"{spec.id}: {taken} never reach it while the prompt has focus"
