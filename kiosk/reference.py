"""The README's configuration and command tables, made from the settings registry and the
click commands themselves (`make docs` writes them with cog; a test checks they are current).
"""

from __future__ import annotations

import click

from kiosk.cli import cli
from kiosk.settings import SETTINGS


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def settings_table() -> str:
    rows = ["| Variable | Default | What it does |", "|---|---|---|"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default != "" else "(empty)"
        text = setting.help
        if setting.renamed_from:
            text += f" (Formerly `KIOSK_{setting.renamed_from}`, still read.)"
        rows.append(f"| `{setting.env}` | {default} | {_cell(text)} |")
    return "\n".join(rows) + "\n"


def _usage(path: str, command: click.Command) -> str:
    words = [path]
    for param in command.params:
        if isinstance(param, click.Argument):
            name = (param.metavar or param.name or "").upper()
            words.append(name if param.required else f"[{name}]")
        elif isinstance(param, click.Option) and not param.hidden and param.name != "help":
            flag = max(param.opts, key=len)
            if not (param.is_flag or param.count):
                flag += f" {(param.metavar or param.name or '').upper()}"
            words.append(flag if param.required else f"[{flag}]")
    return " ".join(words)


def _commands(group: click.Group, path: str) -> list[tuple[str, str]]:
    found = []
    for name in sorted(group.commands):
        command = group.commands[name]
        if command.hidden:
            continue
        if isinstance(command, click.Group):
            found += _commands(command, f"{path} {name}")
        else:
            found.append((_usage(f"{path} {name}", command), command.help or ""))
    return found


def commands_table() -> str:
    rows = ["| Command | What it does |", "|---|---|"]
    for usage, text in _commands(cli, "kiosk"):
        rows.append(f"| `{usage}` | {_cell(text)} |")
    return "\n".join(rows) + "\n"
