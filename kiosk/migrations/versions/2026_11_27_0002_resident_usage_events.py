"""resident usage events; full-text search index of items

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 00:30:41.104726
"""

import sqlalchemy as sa
from alembic import op

import kiosk.db
from kiosk.catalog import search_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if search_index.available(connection):
        connection.execute(sa.text(search_index.CREATE))
        search_index.rebuild(connection)
    op.create_table(
        "usage_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=True),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("usage_event", schema=None) as batch_op:
        batch_op.create_index("ix_usage_event_item", ["item_code", "kind"], unique=False)
        batch_op.create_index("ix_usage_event_kind_at", ["kind", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("usage_event", schema=None) as batch_op:
        batch_op.drop_index("ix_usage_event_kind_at")
        batch_op.drop_index("ix_usage_event_item")

    op.drop_table("usage_event")
    if search_index.available(op.get_bind()):
        op.execute(f"DROP TABLE IF EXISTS {search_index.TABLE}")
