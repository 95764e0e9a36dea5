"""Revision 0014: uploads kept under signage-media/ move into the blob store by their hash,
and the entries that show them keep showing them (up and down again)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import text

from kiosk.db import Database
from kiosk.migrate import downgrade, upgrade


def test_legacy_uploads_move_into_the_blob_store(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'kiosk.db'}")
    upgrade(database.engine, "0010")
    (tmp_path / "signage-media").mkdir()
    (tmp_path / "signage-media" / "abc.png").write_bytes(b"picture")
    with database.engine.begin() as connection:
        for sql in (
            "INSERT INTO signage_media (stored_name, original_name, mime, size, uploaded_by, "
            "created_at) VALUES ('abc.png', '海报.png', 'image/png', 7, 'm', '2026-01-01')",
            "INSERT INTO signage_playlist (name, is_default, is_attract, published_revision, "
            "changed_at, created_at) VALUES ('p', 0, 0, 0, '2026-01-01', '2026-01-01')",
            "INSERT INTO signage_entry (playlist_id, position, kind, title, duration, enabled, "
            "item_code, media_id, url, text, page_from, page_to) "
            "VALUES (1, 0, 'image', '', 10, 1, '', 1, '', '', 1, 1)",
        ):
            connection.execute(text(sql))
    upgrade(database.engine)
    sha256 = hashlib.sha256(b"picture").hexdigest()
    with database.engine.connect() as connection:
        row = connection.execute(text("SELECT sha256, complete FROM signage_media")).one()
        assert tuple(row) == (sha256, 1)
        assert connection.execute(text("SELECT media_id FROM signage_entry")).scalar() == 1
    assert (tmp_path / "blobs" / sha256[:2] / sha256).read_bytes() == b"picture"
    assert not (tmp_path / "signage-media" / "abc.png").exists()
    downgrade(database.engine, "0010")
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT media_id FROM signage_entry")).scalar() == 1
    database.dispose()
