"""User settings: a TOML file under the platform config dir (`forktree config path`).

default_provider = "anthropic"      # else the first configured, else echo
import_on_start = false              # import the agents' new sessions when the app opens
model_titles = true                 # after the first reply, the model names the session
tree_width = 40                     # the session tree's columns (alt+←/→ in the app)
store = "postgresql://me@db.example/forktree"  # a shared store (password: PGPASSWORD)
agents = ["claude_code", "codex", "opencode"]  # read by the app's import (and `import all`)
watch_agents = ["claude_code", "codex"]  # their session folders, imported live ([] : off)

[agent_folders]                     # where an agent keeps its sessions, if not its default
codex = "~/work/.codex/sessions"

[providers.anthropic]               # kind is the section name unless given
model = "claude-sonnet-4-5"
[providers.lmstudio]
kind = "openai"
base_url = "http://127.0.0.1:1234/v1"
model = "qwen2.5-7b-instruct"
api_key_env = "LMSTUDIO_KEY"       # keys come from the environment, never this file

[tools]                             # for Anthropic and OpenAI-compatible sessions
enabled = true
auto_allow = ["read_file", "list_dir", "search_files"]  # read-only tools run unasked
roots = ["~/notes"]                 # folders the tools may use besides the session's
shell_timeout = 120                 # seconds
max_rounds = 20                     # tool rounds per prompt
file_history_kb = 1024              # changed files are kept to restore; larger ones noted

[mcp.servers.github]                # MCP servers (stdio) whose tools the model may call
command = "github-mcp-server"
args = ["stdio"]
pass_env = ["GITHUB_TOKEN"]         # variables handed over from forktree's environment

[session]                           # defaults for every session (each can override)
max_turns = 10                      # model requests per prompt
max_budget_usd = 0.50               # spend per prompt; the turn stops once it is spent
allowed_tools = ["read_file", "list_dir", "search_files", "edit_file"]

[keys]                              # remap keys by binding id (the README's key table)
"main.fork" = "f10"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tui.engine.config.paths import config_dir
from tui.engine.sessions.options import NO_OPTIONS, OptionError, SessionOptions

KINDS = ("anthropic", "openai", "echo")


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    name: str
    kind: str
    base_url: str | None = None
    model: str | None = None
    api_key_env: str | None = None


READ_ONLY_TOOLS = ("read_file", "list_dir", "search_files")


@dataclass(frozen=True, slots=True)
class ToolSettings:
    """Agent tools: writing and running tools are always asked, whatever this says."""

    enabled: bool = True
    auto_allow: tuple[str, ...] = ()
    roots: tuple[str, ...] = ()
    shell_timeout: float = 120.0
    max_rounds: int = 20
    file_history_kb: int = 1024  # changed files larger than this are noted, not kept


@dataclass(frozen=True, slots=True)
class MCPServerSettings:
    """One MCP server run over stdio; its tools are offered like the built-in ones."""

    name: str
    command: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # fixed values (no secrets: use pass_env)
    pass_env: tuple[str, ...] = ()
    cwd: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    default_provider: str | None = None
    import_on_start: bool = False  # the agents' sessions, after the first paint
    model_titles: bool = False
    providers: dict[str, ProviderSettings] = field(default_factory=dict)
    tools: ToolSettings = field(default_factory=ToolSettings)
    mcp_servers: tuple[MCPServerSettings, ...] = ()
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, as written
    session: SessionOptions = NO_OPTIONS  # defaults under each session's own options
    tree_width: int | None = None  # columns; None: the app's default
    store: str | None = None  # "postgresql://…" for a shared store; None: TinyDB here
    agents: tuple[str, ...] = ("claude_code", "codex", "opencode")  # read by the import
    watch_agents: tuple[str, ...] = ("claude_code", "codex")  # their folders, watched live
    agent_folders: dict[str, str] = field(default_factory=dict)  # agent -> its folder


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
        import_on_start=bool(  # the older name still counts
            data.get("import_on_start", data.get("import_claude_code_on_start", False))
        ),
        model_titles=bool(data.get("model_titles", False)),
        providers=providers,
        tools=_tool_settings(data.get("tools", {}), f"{path}: [tools]", problems),
        mcp_servers=_mcp_servers(data.get("mcp", {}), f"{path}: [mcp.servers", problems),
        keys=_keys(data.get("keys", {}), f"{path}: [keys]", problems),
        session=_session_options(data.get("session", {}), f"{path}: [session]", problems),
        tree_width=_tree_width(data.get("tree_width"), f"{path}: tree_width", problems),
        store=_opt_str(data.get("store")),
        agents=_agents(data, "agents", ("claude_code", "codex", "opencode"), path, problems),
        watch_agents=_agents(data, "watch_agents", ("claude_code", "codex"), path, problems),
        agent_folders=_agent_folders(data.get("agent_folders", {}), path, problems),
    ), problems


AGENT_NAMES = ("claude_code", "codex", "opencode")


def _agents(
    data: dict[str, object], key: str, default: tuple[str, ...], path: Path, problems: list[str]
) -> tuple[str, ...]:
    if key not in data:
        return default
    names = _str_list(data[key], f"{path}: {key}", problems)
    unknown = [n for n in names if n not in AGENT_NAMES]
    if unknown:
        problems.append(
            f"{path}: {key}: unknown agent {', '.join(map(repr, unknown))} "
            f"(one of {', '.join(AGENT_NAMES)})"
        )
    return tuple(n for n in names if n in AGENT_NAMES)


def _agent_folders(raw: object, path: Path, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(f"{path}: [agent_folders] must be a table")
        return {}
    folders: dict[str, str] = {}
    for name, folder in raw.items():
        if name not in AGENT_NAMES:
            problems.append(f"{path}: [agent_folders] unknown agent {name!r} ignored")
        elif not isinstance(folder, str) or not folder:
            problems.append(f"{path}: [agent_folders] {name} must be a folder path")
        else:
            folders[name] = folder
    return folders


TREE_WIDTHS = range(16, 121)


def _tree_width(raw: object, where: str, problems: list[str]) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in TREE_WIDTHS:
        problems.append(
            f"{where} must be a whole number of columns from {TREE_WIDTHS.start} "
            f"to {TREE_WIDTHS.stop - 1}; using the default"
        )
        return None
    return raw


def _session_options(raw: object, where: str, problems: list[str]) -> SessionOptions:
    """Each field checked on its own: one bad value is named and the rest still apply."""
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a table")
        return NO_OPTIONS
    options = NO_OPTIONS
    for key in ("max_turns", "max_budget_usd", "tools", "allowed_tools"):
        if key not in raw:
            continue
        value = raw[key]
        try:
            if key == "tools" and not isinstance(value, bool):
                raise OptionError("tools must be true or false")
            if key == "allowed_tools":
                value = tuple(_str_list(value, f"{where} allowed_tools", problems))
            options = options.with_changes(**{key: value})
        except OptionError as exc:
            problems.append(f"{where} {key} ignored: {exc}")
    return options


def _keys(raw: object, where: str, problems: list[str]) -> dict[str, str]:
    """Binding id -> keys; which ids and keys exist is the app's to check."""
    if not isinstance(raw, dict):
        problems.append(f'{where} must be a table of binding id = "key"')
        return {}
    keys: dict[str, str] = {}
    for binding_id, value in raw.items():
        if isinstance(value, str) and value.strip():
            keys[str(binding_id)] = value.strip()
        else:
            problems.append(f"{where} {binding_id}: the keys must be a non-empty string")
    return keys


def _mcp_servers(raw: object, where: str, problems: list[str]) -> tuple[MCPServerSettings, ...]:
    servers = raw.get("servers", {}) if isinstance(raw, dict) else None
    if not isinstance(servers, dict):
        problems.append(f"{where}] must be a table")
        return ()
    found: list[MCPServerSettings] = []
    for name, entry in servers.items():
        here = f"{where}.{name}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("command"), str):
            problems.append(f"{here} needs a command (a string)")
            continue
        env = entry.get("env") or {}
        if not isinstance(env, dict):
            problems.append(f"{here} env must be a table")
            env = {}
        found.append(
            MCPServerSettings(
                name=str(name),
                command=entry["command"],
                args=tuple(_str_list(entry.get("args"), f"{here} args", problems)),
                env=tuple((str(k), str(v)) for k, v in env.items()),
                pass_env=tuple(_str_list(entry.get("pass_env"), f"{here} pass_env", problems)),
                cwd=_opt_str(entry.get("cwd")),
            )
        )
    return tuple(found)


def _tool_settings(raw: object, where: str, problems: list[str]) -> ToolSettings:
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a table")
        return ToolSettings()
    default = ToolSettings()
    allow: list[str] = []
    for name in _str_list(raw.get("auto_allow"), f"{where} auto_allow", problems):
        if name in READ_ONLY_TOOLS:
            allow.append(name)
        else:
            problems.append(
                f"{where} auto_allow: {name!r} ignored; only read-only tools "
                f"({', '.join(READ_ONLY_TOOLS)}) can run without asking"
            )
    return ToolSettings(
        enabled=bool(raw.get("enabled", default.enabled)),
        auto_allow=tuple(allow),
        roots=tuple(_str_list(raw.get("roots"), f"{where} roots", problems)),
        shell_timeout=_number(raw, "shell_timeout", default.shell_timeout, where, problems),
        max_rounds=int(_number(raw, "max_rounds", default.max_rounds, where, problems)),
        file_history_kb=int(
            _number(raw, "file_history_kb", default.file_history_kb, where, problems)
        ),
    )


def _str_list(value: object, where: str, problems: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where} must be a list of strings")
        return []
    return list(value)


def _number(
    raw: dict[str, object], key: str, default: float, where: str, problems: list[str]
) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e6:
        problems.append(
            f"{where} {key} must be a number above 0 and below a million; using {default}"
        )
        return default
    return float(value)


def _opt_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
