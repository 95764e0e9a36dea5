"""群众咨询: the centre's answers, a hall's asked questions and received answers, and
the hall's answers cursor

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 13:30:00
"""

import sqlalchemy as sa
from alembic import op

import kiosk.db

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asked_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reply_code", sa.String(length=16), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("asked_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reply_code"),
    )
    op.create_table(
        "hall_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("reply_code", sa.String(length=16), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("asked_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("centre_id"),
    )
    with op.batch_alter_table("hall_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hall_answer_item_code"), ["item_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_hall_answer_reply_code"), ["reply_code"], unique=False)

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("reply_code", sa.String(length=16), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("asked_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("written_by", sa.String(length=64), nullable=False),
        sa.Column("answered_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["sync_node.id"],
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["received_record.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id"),
        sa.UniqueConstraint("seq"),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_item_code"), ["item_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_node_id"), ["node_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_reply_code"), ["reply_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_state"), ["state"], unique=False)

    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answers_cursor", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_state", schema=None) as batch_op:
        batch_op.drop_column("answers_cursor")

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_state"))
        batch_op.drop_index(batch_op.f("ix_answer_reply_code"))
        batch_op.drop_index(batch_op.f("ix_answer_node_id"))
        batch_op.drop_index(batch_op.f("ix_answer_item_code"))

    op.drop_table("answer")
    with op.batch_alter_table("hall_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hall_answer_reply_code"))
        batch_op.drop_index(batch_op.f("ix_hall_answer_item_code"))

    op.drop_table("hall_answer")
    op.drop_table("asked_question")
