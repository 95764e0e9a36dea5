"""Catalog attachments: files shown with an item (images, PDF, video, tables, captions)

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-02 15:00:00
"""

import sqlalchemy as sa
from alembic import op

import kiosk.db

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["catalog_item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catalog_attachment_item_id", "catalog_attachment", ["item_id"])
    op.create_index("ix_catalog_attachment_sha256", "catalog_attachment", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_catalog_attachment_sha256", table_name="catalog_attachment")
    op.drop_index("ix_catalog_attachment_item_id", table_name="catalog_attachment")
    op.drop_table("catalog_attachment")
