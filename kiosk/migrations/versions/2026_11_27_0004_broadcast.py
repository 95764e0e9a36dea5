"""Broadcast schedules and the broadcast log (one row per read-out, unique per due moment).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 00:38:51
"""

import sqlalchemy as sa
from alembic import op

import kiosk.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "broadcast_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("notice_ids", sa.JSON(), nullable=False),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("times", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("repeats", sa.Integer(), nullable=False),
        sa.Column("chime", sa.Boolean(), nullable=False),
        sa.Column("volume", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "broadcast_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("schedule_name", sa.String(length=200), nullable=False),
        sa.Column("notice_ids", sa.JSON(), nullable=False),
        sa.Column("titles", sa.Text(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("due_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sink", sa.String(length=200), nullable=False),
        sa.Column("started_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("duration_seconds", sa.Double(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["schedule_id"], ["broadcast_schedule.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        # The claim: one row per schedule and due moment, whoever inserts it first plays it.
        sa.UniqueConstraint("schedule_id", "due_at", name="uq_broadcast_run_due"),
    )
    with op.batch_alter_table("broadcast_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broadcast_run_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_broadcast_run_schedule_id"), ["schedule_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_broadcast_run_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("broadcast_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_broadcast_run_status"))
        batch_op.drop_index(batch_op.f("ix_broadcast_run_schedule_id"))
        batch_op.drop_index(batch_op.f("ix_broadcast_run_due_at"))
    op.drop_table("broadcast_run")
    op.drop_table("broadcast_schedule")
