"""`make run` and `make test` install the exact versions in requirements.lock; every
dependency pyproject.toml names must be pinned there (run `make lock` after changing one)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_every_dependency_is_pinned_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {match.lower() for match in re.findall(r"^([A-Za-z0-9_.-]+)==", lock, re.M)}
    assert wanted - pinned == set(), "run `make lock`"
    assert lock.count("--hash=sha256:") >= len(pinned)
