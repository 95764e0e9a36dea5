from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow


class Notice(Base):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    region: Mapped[str] = mapped_column(String(200), index=True)
    # 通知公告 for ordinary notices, 村务公开 for village affairs.
    kind: Mapped[str] = mapped_column(String(16), default="通知公告")
    publisher: Mapped[str] = mapped_column(String(200), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # published: on the screens; pending: waiting for review (kiosk.review); rejected;
    # draft: its author withdrew it from review.
    state: Mapped[str] = mapped_column(String(16), default="published", index=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
