"""What residents do at the touch screens: views, searches, ratings and questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow

EVENT_KINDS = ("view", "search", "rating", "question")
RATINGS = ("满意", "基本满意", "不满意")
QUESTION_TOPICS = ("材料不清楚", "流程不清楚", "时限不清楚", "希望工作人员联系我", "其他问题")


class UsageEvent(Base):
    __tablename__ = "usage_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    item_code: Mapped[str] = mapped_column(String(64), default="")
    # search: the query and how many items it found; rating: the rating; question: the topic.
    query: Mapped[str] = mapped_column(String(200), default="")
    hits: Mapped[int | None] = mapped_column(default=None)
    value: Mapped[str] = mapped_column(String(32), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")

    __table_args__ = (
        Index("ix_usage_event_kind_at", "kind", "at"),
        Index("ix_usage_event_item", "item_code", "kind"),
    )
