"""notices: review state, author and approvals

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 01:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Notices from before review existed were already public: they stay published.
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="published")
        )
        batch_op.add_column(
            sa.Column("created_by", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("approvals", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index("ix_notice_state", ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_state")
        batch_op.drop_column("approvals")
        batch_op.drop_column("created_by")
        batch_op.drop_column("state")
