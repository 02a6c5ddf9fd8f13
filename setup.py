"""Only what pyproject.toml cannot say: the top-level themes/ folder ships as tui/themes."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["tui", "tui.*"]), "tui.themes"],
    package_dir={"tui.themes": "themes"},
)
