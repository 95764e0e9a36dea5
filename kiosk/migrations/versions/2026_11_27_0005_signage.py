"""signage

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 00:31:21.873845
"""

import sqlalchemy as sa
from alembic import op

import kiosk.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signage_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stored_name"),
    )
    op.create_table(
        "signage_playlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("is_attract", sa.Boolean(), nullable=False),
        sa.Column("published", sa.JSON(), nullable=True),
        sa.Column("published_revision", sa.Integer(), nullable=False),
        sa.Column("published_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("changed_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "signage_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("playlist_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("duration", sa.Double(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("page_from", sa.Integer(), nullable=False),
        sa.Column("page_to", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["media_id"], ["signage_media.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["playlist_id"], ["signage_playlist.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signage_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signage_entry_playlist_id"), ["playlist_id"], unique=False
        )

    op.create_table(
        "signage_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("layout", sa.String(length=16), nullable=False),
        sa.Column("default_playlist_id", sa.Integer(), nullable=True),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["default_playlist_id"], ["signage_playlist.id"], ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "signage_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("playlist_id", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("approvals", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["playlist_id"], ["signage_playlist.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signage_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signage_review_playlist_id"), ["playlist_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_signage_review_status"), ["status"], unique=False)

    op.create_table(
        "signage_emergency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cleared_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cleared_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["signage_group.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    op.create_table(
        "signage_screen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("pairing_code", sa.String(length=8), nullable=True),
        sa.Column("device_hash", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("layout", sa.String(length=16), nullable=True),
        sa.Column("claimed_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("current_entry_id", sa.Integer(), nullable=True),
        sa.Column("current_title", sa.String(length=300), nullable=False),
        sa.Column("reported_version", sa.String(length=40), nullable=False),
        sa.Column("viewport", sa.String(length=20), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["signage_group.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pairing_code"),
        sa.UniqueConstraint("slug"),
    )
    with op.batch_alter_table("signage_screen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signage_screen_group_id"), ["group_id"], unique=False)

    op.create_table(
        "signage_play",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=True),
        sa.Column("screen_name", sa.String(length=100), nullable=False),
        sa.Column("playlist_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("started_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["screen_id"], ["signage_screen.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("signage_play", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signage_play_screen_id"), ["screen_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_signage_play_started_at"), ["started_at"], unique=False
        )

    op.create_table(
        "signage_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("playlist_id", sa.Integer(), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("windows", sa.JSON(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["signage_group.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["playlist_id"], ["signage_playlist.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["screen_id"], ["signage_screen.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signage_schedule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signage_schedule_playlist_id"), ["playlist_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("signage_schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signage_schedule_playlist_id"))

    op.drop_table("signage_schedule")
    with op.batch_alter_table("signage_play", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signage_play_started_at"))
        batch_op.drop_index(batch_op.f("ix_signage_play_screen_id"))

    op.drop_table("signage_play")
    with op.batch_alter_table("signage_screen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signage_screen_group_id"))

    op.drop_table("signage_screen")
    op.drop_table("signage_emergency")
    with op.batch_alter_table("signage_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signage_review_status"))
        batch_op.drop_index(batch_op.f("ix_signage_review_playlist_id"))

    op.drop_table("signage_review")
    op.drop_table("signage_group")
    with op.batch_alter_table("signage_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signage_entry_playlist_id"))

    op.drop_table("signage_entry")
    op.drop_table("signage_playlist")
    op.drop_table("signage_media")
