"""Provider selection from settings and environment; keys never leave the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.engine.config.settings import load_settings
from tui.engine.providers import ProviderError
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.openai import OpenAIProvider
from tui.engine.providers.registry import build, configured, default_provider_name


def test_nothing_configured_means_echo() -> None:
    assert default_provider_name(env={}) == "echo"
    assert list(configured(env={})) == ["echo"]


def test_environment_picks_providers_in_preference_order() -> None:
    env = {"OPENAI_API_KEY": "k1", "ANTHROPIC_API_KEY": "k2", "OLLAMA_HOST": "127.0.0.1:11434"}
    found = configured(env=env)
    assert list(found) == ["anthropic", "openai", "ollama", "echo"]
    assert found["ollama"].base_url == "http://127.0.0.1:11434/v1"
    assert default_provider_name(env=env) == "anthropic"
    assert default_provider_name(env={"OLLAMA_HOST": "h:1"}) == "ollama"


def test_build_reads_the_key_from_the_environment() -> None:
    provider = build("anthropic", env={"ANTHROPIC_API_KEY": "secret-1"})
    assert isinstance(provider, AnthropicProvider) and "secret-1" not in repr(provider)
    local = build("openai", env={"OPENAI_BASE_URL": "http://127.0.0.1:8000/v1"})
    assert isinstance(local, OpenAIProvider) and local.base_url == "http://127.0.0.1:8000/v1"
    with pytest.raises(ProviderError, match="not configured"):
        build("anthropic", env={})


def test_settings_file_adds_named_openai_compatible_servers(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'default_provider = "lmstudio"\n'
        "[providers.lmstudio]\n"
        'kind = "openai"\nbase_url = "http://127.0.0.1:1234/v1"\nmodel = "qwen"\n'
        'api_key_env = "LMS_KEY"\n'
        '[providers.anthropic]\nmodel = "claude-haiku-4-5"\n'
        'api_key = "must-not-be-here"\n'
    )
    settings, problems = load_settings(path)
    assert any("api_key ignored" in p for p in problems)
    env = {"LMS_KEY": "k", "ANTHROPIC_API_KEY": "a"}
    found = configured(settings, env)
    assert found["lmstudio"].model == "qwen" and found["lmstudio"].has_key
    assert found["anthropic"].model == "claude-haiku-4-5"
    assert default_provider_name(settings, env) == "lmstudio"
    provider = build("lmstudio", settings, env)
    assert isinstance(provider, OpenAIProvider) and provider.name == "lmstudio"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("not = [toml", "not valid TOML"),
        ("providers = 3", "must be a table"),
        ('[providers.x]\nkind = "grok"', "unknown kind 'grok'"),
    ],
)
def test_bad_settings_are_reported_not_fatal(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text)
    settings, problems = load_settings(path)
    assert any(expected in p for p in problems)
    assert default_provider_name(settings, {}) == "echo"
