"""broadcast runs held by a lease (lease_until) instead of "playing" from the claim on;
the snapshot a hall is applying in batches (sync_state.staged_snapshot)

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-02 14:00:00
"""

import sqlalchemy as sa
from alembic import op

import kiosk.db

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Runs left "playing" by an older version have no lease: the next round closes them.
    with op.batch_alter_table("broadcast_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lease_until", kiosk.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("staged_snapshot", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.drop_column("staged_snapshot")
    op.execute("UPDATE broadcast_run SET status = 'playing' WHERE status = 'claimed'")
    with op.batch_alter_table("broadcast_run", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
