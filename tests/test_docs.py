"""The README cannot drift from the code: every command and setting it should name, it names."""

import re
from pathlib import Path

from ecotarget.cli import COMMANDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SETTINGS = (Path(__file__).resolve().parents[1] / "src" / "ecotarget" / "settings.py").read_text(encoding="utf-8")


def test_every_ecotarget_command_is_in_the_readme():
    missing = [name for name in COMMANDS if f"ecotarget {name}" not in README]
    assert missing == []


def test_every_environment_variable_the_settings_read_is_documented():
    names = set(re.findall(r'env_(?:bool|int|list)\("([A-Z_]+)"', SETTINGS))
    names |= set(re.findall(r'environ\.get\("([A-Z_]+)"', SETTINGS))
    undocumented = sorted(n for n in names if f"`{n}`" not in README)
    assert undocumented == []


def test_the_readme_gives_exactly_the_two_setup_commands():
    assert "make run" in README and "make test" in README
