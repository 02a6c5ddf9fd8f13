"""The user's `[keys]` settings checked against the action registry, for `set_keymap`."""

from __future__ import annotations

from textual.keys import Keys
from textual.widgets import TextArea

from tui.app.actions.registry import BY_ID

MODIFIERS = {"ctrl", "alt", "shift", "super", "meta", "hyper"}
KEY_NAMES = {k.value for k in Keys} | {"space", "tab", "enter", "escape", "backspace", "delete"}
# keys the prompt (a TextArea) keeps for editing while it has the focus
# (TextArea's BINDINGS are all Binding objects; the class attribute is typed more loosely)
PROMPT_KEYS = {key for b in TextArea.BINDINGS for key in b.key.split(",")}  # type: ignore[union-attr]


def valid_key(key: str) -> bool:
    """A Textual key name: modifiers joined by `+`, then one character or a named key."""
    *mods, last = key.strip().split("+")
    if not last or any(m not in MODIFIERS for m in mods):
        return False
    return (len(last) == 1 and last.isprintable()) or last in KEY_NAMES


def checked_keymap(wanted: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The remaps that name a known, remappable action with valid keys, and a warning
    for each one that does not (it is left at its default)."""
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in wanted.items():
        spec = BY_ID.get(binding_id)
        if spec is None or not spec.bound or spec.key is None:
            known = ", ".join(s.id for s in BY_ID.values() if s.bound and s.key)
            problems.append(f"[keys] {binding_id!r} is not a binding id (known: {known})")
            continue
        bad = [k for k in keys.split(",") if not valid_key(k)]
        if bad:
            problems.append(f"[keys] {binding_id}: {', '.join(map(repr, bad))} is not a key name")
            continue
        keymap[binding_id] = ",".join(k.strip() for k in keys.split(","))
        taken = [k.strip() for k in keys.split(",") if k.strip() in PROMPT_KEYS]
        if taken and spec.scope in ("main", "app") and not spec.priority:
            problems.append(
                f"[keys] {binding_id}: {', '.join(taken)} edits text in the prompt, so it "
                "works only while the prompt does not have the focus"
            )
    return keymap, problems
