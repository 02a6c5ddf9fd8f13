"""Where forktree keeps its data and settings (platformdirs, overridable by env)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "forktree"


def data_dir() -> Path:
    """The store home: FORKTREE_HOME, else the platform's user data dir."""
    override = os.environ.get("FORKTREE_HOME")
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP))


def config_dir() -> Path:
    """Settings, themes and keymaps: FORKTREE_CONFIG_DIR, else the platform's config dir."""
    override = os.environ.get("FORKTREE_CONFIG_DIR")
    return Path(override).expanduser() if override else Path(platformdirs.user_config_dir(APP))


def cache_dir() -> Path:
    """What forktree can always rebuild (the first frame of a start-up):
    FORKTREE_CACHE_DIR, else the platform's user cache dir."""
    override = os.environ.get("FORKTREE_CACHE_DIR")
    return Path(override).expanduser() if override else Path(platformdirs.user_cache_dir(APP))
