"""signage for the county: media in blobs, thumbnails, PDF pages, web origins, commands

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 13:40:00
"""

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import op

import kiosk.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


@contextmanager
def _entries_keep_their_files() -> Iterator[None]:
    """SQLite copies a table to change it; dropping the old copy fires the entries'
    ON DELETE SET NULL. Their files are put back afterwards."""
    connection = op.get_bind()
    kept = connection.execute(
        sa.text("SELECT id, media_id FROM signage_entry WHERE media_id IS NOT NULL")
    ).all()
    yield
    for entry_id, media_id in kept:
        connection.execute(
            sa.text("UPDATE signage_entry SET media_id = :media WHERE id = :id"),
            {"media": media_id, "id": entry_id},
        )


def _media_by_name() -> None:
    with op.batch_alter_table("signage_media", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stored_name", sa.String(length=64), nullable=False, server_default="")
        )
    # Files stay in the blob store, named by content.
    op.execute("UPDATE signage_media SET stored_name = substr(sha256, 1, 50) || '-' || id")
    with op.batch_alter_table("signage_media", schema=None) as batch_op:
        batch_op.drop_index("ix_signage_media_sha256")
        batch_op.alter_column("stored_name", server_default=None)
        batch_op.create_unique_constraint("uq_signage_media_stored_name", ["stored_name"])
        for column in ("complete", "pages", "thumbnail", "sha256"):
            batch_op.drop_column(column)


def _legacy_folder() -> Path | None:
    """The instance folder of a SQLite database file (where uploads used to be kept)."""
    url = op.get_bind().engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve().parent


def _adopt_legacy_files() -> None:
    """Uploads kept as signage-media/<random name> move into blobs/ under their SHA-256."""
    connection = op.get_bind()
    folder = _legacy_folder()
    rows = connection.execute(sa.text("SELECT id, stored_name FROM signage_media")).all()
    for media_id, stored_name in rows:
        old = folder / "signage-media" / stored_name if folder else None
        sha256 = stored_name  # not found: no hash, so the admin lists it, screens skip it
        if folder is not None and old is not None and old.is_file():
            sha256 = hashlib.sha256(old.read_bytes()).hexdigest()
            target = folder / "blobs" / sha256[:2] / sha256
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(old, target)
        connection.execute(
            sa.text("UPDATE signage_media SET sha256 = :sha WHERE id = :id"),
            {"sha": sha256, "id": media_id},
        )


def upgrade() -> None:
    with op.batch_alter_table("signage_playlist", schema=None) as batch_op:
        batch_op.add_column(sa.Column("county_ref", sa.String(length=40), nullable=True))
    op.create_index(
        "ix_signage_playlist_county_ref", "signage_playlist", ["county_ref"], unique=True
    )
    with op.batch_alter_table("signage_schedule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("county_ref", sa.String(length=40), nullable=True))
    op.create_index(
        "ix_signage_schedule_county_ref", "signage_schedule", ["county_ref"], unique=True
    )
    op.create_table(
        "signage_command",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("issued_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acked_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["screen_id"], ["signage_screen.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_signage_command_screen_id", "signage_command", ["screen_id"])
    with op.batch_alter_table("signage_screen", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("current_page", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("opening_hours", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("opening_days", sa.String(length=7), nullable=False, server_default="1234567")
        )
    op.create_table(
        "signage_web_origin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("origin"),
    )
    with _entries_keep_their_files():
        _media_by_hash()


def _media_by_hash() -> None:
    with op.batch_alter_table("signage_media", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sha256", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("thumbnail", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("pages", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    _adopt_legacy_files()
    with op.batch_alter_table("signage_media", schema=None) as batch_op:
        batch_op.drop_column("stored_name")
        batch_op.alter_column("sha256", server_default=None)
        batch_op.alter_column("pages", server_default=None)
        batch_op.alter_column("complete", server_default=None)
        batch_op.create_index("ix_signage_media_sha256", ["sha256"], unique=False)


def downgrade() -> None:
    with _entries_keep_their_files():
        _media_by_name()
    op.drop_table("signage_web_origin")
    for column in ("opening_days", "opening_hours", "current_page"):
        op.drop_column("signage_screen", column)
    op.drop_index("ix_signage_command_screen_id", table_name="signage_command")
    op.drop_table("signage_command")
    op.drop_index("ix_signage_schedule_county_ref", table_name="signage_schedule")
    op.drop_column("signage_schedule", "county_ref")
    op.drop_column("signage_schedule", "region")
    op.drop_index("ix_signage_playlist_county_ref", table_name="signage_playlist")
    op.drop_column("signage_playlist", "county_ref")
