"""User settings: a TOML file under the platform config dir (`forktree config path`).

default_provider = "anthropic"      # else the first configured, else echo
import_claude_code_on_start = false

[providers.anthropic]               # kind is the section name unless given
model = "claude-sonnet-4-5"
[providers.lmstudio]
kind = "openai"
base_url = "http://127.0.0.1:1234/v1"
model = "qwen2.5-7b-instruct"
api_key_env = "LMSTUDIO_KEY"       # keys come from the environment, never this file
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .config import config_dir

KINDS = ("anthropic", "openai", "echo")


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    name: str
    kind: str
    base_url: str | None = None
    model: str | None = None
    api_key_env: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    default_provider: str | None = None
    import_claude_code_on_start: bool = False
    providers: dict[str, ProviderSettings] = field(default_factory=dict)


def settings_path() -> Path:
    return config_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings and a list of problems; a bad file never stops forktree."""
    path = path or settings_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(), [f"{path}: ignored, not valid TOML ({exc})"]
    problems: list[str] = []
    providers: dict[str, ProviderSettings] = {}
    raw_providers = data.get("providers", {})
    if not isinstance(raw_providers, dict):
        problems.append(f"{path}: [providers] must be a table")
        raw_providers = {}
    for name, raw in raw_providers.items():
        if not isinstance(raw, dict):
            problems.append(f"{path}: [providers.{name}] must be a table")
            continue
        if "api_key" in raw:
            problems.append(
                f"{path}: [providers.{name}] api_key ignored: put the key in an "
                "environment variable and name it with api_key_env"
            )
        kind = str(raw.get("kind", name))
        if kind not in KINDS:
            problems.append(
                f"{path}: [providers.{name}] unknown kind {kind!r} (one of {', '.join(KINDS)})"
            )
            continue
        providers[name] = ProviderSettings(
            name=name,
            kind=kind,
            base_url=_opt_str(raw.get("base_url")),
            model=_opt_str(raw.get("model")),
            api_key_env=_opt_str(raw.get("api_key_env")),
        )
    default = data.get("default_provider")
    return Settings(
        default_provider=str(default) if default else None,
        import_claude_code_on_start=bool(data.get("import_claude_code_on_start", False)),
        providers=providers,
    ), problems


def _opt_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
