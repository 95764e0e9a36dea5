from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow

REVIEW_STATES = ("pending", "approved", "rejected", "withdrawn")
STATE_LABELS = {
    "pending": "待审核",
    "approved": "已批准",
    "rejected": "已退回",
    "withdrawn": "已撤回",
}


class Review(Base):
    """One submission of one thing (its `content` frozen as the reviewers see it) waiting
    for `required` approvals by staff other than its author."""

    __tablename__ = "review"
    __table_args__ = (Index("ix_review_subject", "subject", "subject_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(32))  # a registered kind: notice, playlist…
    subject_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300), default="")
    content: Mapped[Any] = mapped_column(JSON)
    # SHA-256 of `content`: an approval names the exact version its reviewer saw.
    content_hash: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    required: Mapped[int] = mapped_column(default=1)
    approvals: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # why rejected or withdrawn
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
