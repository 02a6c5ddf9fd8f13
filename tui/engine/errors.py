"""The root of every error forktree reports to a user as one clear line."""

from __future__ import annotations


class ForktreeError(Exception):
    """An error whose message is fit to show a user as is."""


class InvalidInputError(ForktreeError, ValueError):
    """The request itself is wrong: empty prompt, a message outside the branch, ..."""
