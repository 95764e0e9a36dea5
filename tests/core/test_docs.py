"""The README's reference tables are made from the code, and kept current (cog)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kiosk.reference import commands_table, settings_table
from kiosk.settings import SETTINGS

ROOT = Path(__file__).parents[2]


def test_the_readme_tables_are_what_the_code_says():
    checked = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, (
        "README.md is out of date with the settings or commands: run `make docs`\n"
        + checked.stdout
        + checked.stderr
    )


def test_every_setting_and_command_is_in_one_unbroken_table():
    settings, commands = settings_table(), commands_table()
    assert "\n\n" not in settings.strip() and "\n\n" not in commands.strip()
    assert all(f"`{setting.env}`" in settings for setting in SETTINGS)
    assert "`kiosk signage emergency TITLE [--body BODY] [--minutes MINUTES] [--region" in commands
