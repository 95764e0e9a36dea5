"""signage weekdays numbered as broadcast's (ISO, Monday = 1); when a screen last skipped

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import kiosk.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _shift(by: int) -> None:
    """Renumber every stored signage schedule's weekdays by `by` (0-6 <-> 1-7)."""
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, weekdays FROM signage_schedule")).all()
    for schedule_id, weekdays in rows:
        days = sorted({int(day) + by for day in weekdays or "" if day.isdigit()})
        connection.execute(
            sa.text("UPDATE signage_schedule SET weekdays = :days WHERE id = :id"),
            {"days": "".join(str(day) for day in days), "id": schedule_id},
        )


def upgrade() -> None:
    _shift(+1)
    with op.batch_alter_table("signage_screen", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_error_at", kiosk.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("signage_screen", schema=None) as batch_op:
        batch_op.drop_column("last_error_at")
    _shift(-1)
