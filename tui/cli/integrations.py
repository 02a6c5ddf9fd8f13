"""Subcommands that talk to the world outside the store: providers, settings paths."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import AddCommand, emit_json
from tui.engine import Engine


def cmd_providers(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.config.settings import load_settings
    from tui.engine.providers.registry import configured, default_provider_name, reachable

    settings, problems = load_settings()
    for problem in problems:
        print(f"forktree: warning: {problem}", file=sys.stderr)
    default = default_provider_name(settings)
    rows = []
    for info in configured(settings).values():
        up = (
            True
            if info.kind == "echo"
            else reachable(
                info.base_url
                or (
                    "https://api.anthropic.com"
                    if info.kind == "anthropic"
                    else "https://api.openai.com"
                )
            )
        )
        rows.append(
            {
                "name": info.name,
                "kind": info.kind,
                "model": info.model,
                "base_url": info.base_url,
                "key_from": info.key_source,
                "key_set": info.has_key,
                "reachable": up,
                "default": info.name == default,
            }
        )
    if args.json:
        emit_json(rows)
        return 0
    for r in rows:
        key = (
            ""
            if r["kind"] == "echo"
            else (
                f"  key: {r['key_from']} {'set' if r['key_set'] else 'missing'}"
                if r["key_from"]
                else "  key: none"
            )
        )
        where = f"  {r['base_url']}" if r["base_url"] else ""
        print(
            f"{'*' if r['default'] else ' '} {r['name']:<10} {r['model']:<22}"
            f"{'reachable' if r['reachable'] else 'UNREACHABLE'}{where}{key}"
        )
    return 0


def cmd_config(engine: Engine, args: argparse.Namespace) -> int:
    from tui.engine.config.settings import settings_path

    if args.what == "store":
        from tui.engine.store.choose import describe

        print(describe(engine.store))
        return 0
    print(settings_path())
    return 0


def add_commands(add: AddCommand) -> None:
    add(
        "providers",
        cmd_providers,
        "list configured providers and whether they answer",
        json_flag=True,
    )
    p = add("config", cmd_config, "print where settings and the store live")
    p.add_argument("what", choices=["path", "store"], help="path: the settings file")
