"""forktree installs: the wheel carries its data files and runs with no source tree.

The wheel is built from this checkout and installed into a fresh venv; its dependencies
come from this venv's site-packages (linked, so nothing is downloaded), without the
editable install that points back here. Every command runs from an empty folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import openai_text

ROOT = Path(__file__).resolve().parents[1]
NOT_DEPENDENCIES = ("forktree", "__editable__", "tui", "__pycache__")


def _site_packages(venv: Path) -> Path:
    return (
        venv
        / "lib"
        / f"python{sys.version_info.major}.{sys.version_info.minor}"
        / ("site-packages")
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(work / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = (work / "dist").glob("forktree-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--no-deps", "--no-index", "-q", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    deps = work / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(NOT_DEPENDENCIES):
            (deps / entry.name).symlink_to(entry)
    (_site_packages(venv) / "deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    return venv / "bin"


def _run(bin_dir: Path, home: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "FORKTREE_HOME": str(home / "store"),
        "FORKTREE_CONFIG_DIR": str(home / "config"),
        **(env or {}),
    }
    done = subprocess.run(
        [str(bin_dir / "forktree"), *args],
        cwd=home, env=full, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def test_the_installed_package_is_the_wheel_not_this_checkout(installed: Path, home: Path) -> None:
    code = (
        "import json, tui, tui.app.themes as t, tui.engine.providers.pricing as p\n"
        "print(json.dumps([tui.__file__, str(t.SHIPPED), [x.name for x in t.load_themes()[0]],"
        " p.prices_for('gpt-4o-mini')]))"
    )
    out = subprocess.run(
        [str(installed / "python"), "-c", code], cwd=home, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    where, themes_dir, themes, price = json.loads(out.stdout)
    assert not where.startswith(str(ROOT)) and str(installed.parent) in where
    assert not themes_dir.startswith(str(ROOT))
    assert {"forktree-dark", "forktree-light", "forktree-high-contrast"} <= set(themes)
    assert price is not None and price[0] > 0


def test_version_demo_and_list(installed: Path, home: Path) -> None:
    assert _run(installed, home, "--version").startswith("forktree 0.")
    assert "demo sessions" in _run(installed, home, "demo")
    listed = json.loads(_run(installed, home, "list", "--json"))
    assert len(listed) >= 3


def test_a_priced_send_against_a_local_server(installed: Path, home: Path) -> None:
    with FakeServer() as server:
        server.script(Reply(chunks=openai_text(["Hello", " there"])))
        env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-wheel-test-key"}
        sid = _run(
            installed, home, "new", "--provider", "openai", "--model", "gpt-4o-mini", env=env
        ).strip()
        assert "Hello there" in _run(installed, home, "send", sid, "hi", "--no-tools", env=env)
    shown = json.loads(_run(installed, home, "show", sid, "--json"))
    reply = shown["transcript"][-1]
    assert reply["usage"]["cost"] > 0  # priced from prices.json inside the wheel
