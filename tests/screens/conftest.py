"""Touch-screen fixtures: demo items by name, axe-core, screenshots kept as artifacts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.catalog.models import Item

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def code_of(app, name: str, level: str = "县级") -> str:
    with app.extensions["kiosk_db"].session() as session:
        return session.scalar(select(Item.code).where(Item.name == name, Item.level == level))


def axe_violations(page) -> list[dict]:
    """Run axe-core at WCAG 2.2 AA in the page; returns the violations (empty when clean)."""
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm ci"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: "tag", values:
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})""")
    return [
        {"id": v["id"], "help": v["help"], "nodes": [node["target"] for node in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    path = SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture
def demo_code(demo_app):
    return lambda name, level="县级": code_of(demo_app, name, level)
