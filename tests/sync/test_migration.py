"""Revision 0003 on a database that already holds items: they enter the change feed."""

from __future__ import annotations

from pathlib import Path

from kiosk.catalog.services import upsert_item
from kiosk.db import Database
from kiosk.migrate import downgrade, upgrade
from kiosk.sync.changes import change_page, current_version
from tests.sync.conftest import ITEM


def test_items_held_before_the_sync_revision_get_sequence_numbers(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(database.engine)
    with database.session() as session:
        for code in ("A", "B"):
            upsert_item(
                session,
                {**ITEM, "code": code, "name": code, "region": "示范县", "level": "县级"},
                actor="test",
            )
    # Back to before the sync tables, keeping the items, then forward again.
    downgrade(database.engine, "0001")
    upgrade(database.engine)
    with database.session() as session:
        assert current_version(session) == (2, 0)
        page = change_page(session, "示范县/城关镇", 0, 10)
        assert [change["code"] for change in page["changes"]] == ["A", "B"]
    database.dispose()
