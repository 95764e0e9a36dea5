"""`kiosk signage emergency|clear`, run as a real process."""

from __future__ import annotations

from pathlib import Path

from kiosk.db import Database
from kiosk.signage.emergency import active_emergencies
from tests.commands import kiosk as run_kiosk


def _active(instance: Path) -> list[str]:
    database = Database(f"sqlite:///{instance / 'kiosk.db'}")
    with database.session() as session:
        titles = [notice.title for notice in active_emergencies(session)]
    database.dispose()
    return titles


def test_emergency_from_the_command_line(tmp_path: Path):
    posted = run_kiosk(tmp_path, "signage", "emergency", "燃气泄漏，请立即撤离", "--minutes", "30")
    assert posted.returncode == 0, posted.stderr
    assert "is on every screen" in posted.stdout
    assert _active(tmp_path) == ["燃气泄漏，请立即撤离"]
    cleared = run_kiosk(tmp_path, "signage", "clear")
    assert cleared.returncode == 0 and "cleared 1" in cleared.stdout
    assert _active(tmp_path) == []


def test_empty_title_is_refused_on_stderr(tmp_path: Path):
    refused = run_kiosk(tmp_path, "signage", "emergency", "  ")
    assert refused.returncode == 1
    assert "请填写紧急通知标题" in refused.stderr
