"""emergency notices at the centre: the region whose halls receive them

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 02:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Notices from before had no region: they went to every hall, as "" still means.
    with op.batch_alter_table("signage_emergency", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("region", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("signage_emergency", schema=None) as batch_op:
        batch_op.drop_column("region")
