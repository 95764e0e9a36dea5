"""one review workflow: the `review` table replaces signage_review and notice.approvals

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:50:00
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

import kiosk.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Old signage states: "superseded" meant a newer submission replaced it.
STATUS = {"pending": "pending", "approved": "approved", "rejected": "rejected"}


def _hash(content: object) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _as_list(value: object) -> list:
    return json.loads(value) if isinstance(value, str) else list(value or [])


def upgrade() -> None:
    review = op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", kiosk.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("approvals", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", kiosk.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index("ix_review_subject", ["subject", "subject_id", "status"])
        batch_op.create_index(batch_op.f("ix_review_status"), ["status"], unique=False)

    connection = op.get_bind()
    rows = []
    old = connection.execute(
        sa.text(
            "SELECT r.playlist_id, p.name, r.snapshot, r.submitted_by, r.submitted_at, "
            "r.required, r.approvals, r.status, r.decided_at FROM signage_review r "
            "JOIN signage_playlist p ON p.id = r.playlist_id ORDER BY r.id"
        )
    )
    for playlist_id, name, snapshot, by, at, required, approvals, status, decided in old:
        content = _as_list(snapshot)
        rows.append(
            {
                "subject": "playlist",
                "subject_id": str(playlist_id),
                "title": name,
                "content": content,
                "content_hash": _hash(content),
                "submitted_by": by,
                "submitted_at": at,
                "required": required,
                "approvals": _as_list(approvals),
                "status": STATUS.get(status, "withdrawn"),
                "reason": "" if status in STATUS else "已被新的提交取代",
                "decided_by": "",
                "decided_at": decided,
            }
        )
    # A notice waiting for review keeps the approvals it had and needs one more.
    notices = connection.execute(
        sa.text(
            "SELECT id, title, body, kind, region, publisher, published_at, expires_at, "
            "created_by, approvals, updated_at FROM notice WHERE state = 'pending'"
        )
    )
    for (notice_id, title, body, kind, region, publisher, published, expires, by, approvals,
         updated) in notices:  # fmt: skip
        content = {
            "title": title,
            "body": body,
            "kind": kind,
            "region": region,
            "publisher": publisher,
            "published_at": str(published),
            "expires_at": str(expires) if expires else None,
        }
        earlier = [{"by": name, "at": str(updated)} for name in _as_list(approvals)]
        rows.append(
            {
                "subject": "notice",
                "subject_id": str(notice_id),
                "title": title,
                "content": content,
                "content_hash": _hash(content),
                "submitted_by": by,
                "submitted_at": updated,
                "required": len(earlier) + 1,
                "approvals": earlier,
                "status": "pending",
                "reason": "",
                "decided_by": "",
                "decided_at": None,
            }
        )
    if rows:
        op.bulk_insert(review, rows)

    op.drop_table("signage_review")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_column("approvals")


def downgrade() -> None:
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approvals", sa.JSON(), nullable=False, server_default="[]"))
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
    # Reviews of other kinds had no table before; playlist ones go back where they were.
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "INSERT INTO signage_review (playlist_id, snapshot, submitted_by, submitted_at, "
            "required, approvals, status, decided_at) SELECT CAST(subject_id AS INTEGER), "
            "content, submitted_by, submitted_at, required, approvals, "
            "CASE status WHEN 'withdrawn' THEN 'superseded' ELSE status END, decided_at "
            "FROM review WHERE subject = 'playlist' AND CAST(subject_id AS INTEGER) IN "
            "(SELECT id FROM signage_playlist)"
        )
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_status"))
        batch_op.drop_index("ix_review_subject")
    op.drop_table("review")
