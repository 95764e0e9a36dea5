"""Tables of questions and answers: the centre's answers, and on a hall the questions it
asked (by reply code) and the answers its feed brought."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow

ANSWER_STATES = {
    "pending": "待审核",
    "published": "已答复",
    "rejected": "审核退回",
    "withdrawn": "已撤回",
}


class Answer(Base):
    """Centre: the answer to one question a hall sent up (a `usage.question` record)."""

    __tablename__ = "answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("received_record.id"), unique=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("sync_node.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(64), index=True)
    reply_code: Mapped[str] = mapped_column(String(16), default="", index=True)
    question: Mapped[str] = mapped_column(Text)  # as residents will read it
    body: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(200))
    public: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    asked_at: Mapped[datetime | None] = mapped_column(default=None)
    written_by: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(default=None)  # when published
    # Catalog sequence number of its publication: halls page the answers by it.
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True, default=None)


class AskedQuestion(Base):
    """Hall: a question asked here, by its reply code (no phone number is kept here)."""

    __tablename__ = "asked_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_code: Mapped[str] = mapped_column(String(16), unique=True)
    item_code: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(32))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)


class HallAnswer(Base):
    """Hall: an answer the feed brought (public ones of its items, private ones to its
    own questions)."""

    __tablename__ = "hall_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(unique=True)
    reply_code: Mapped[str] = mapped_column(String(16), default="", index=True)
    item_code: Mapped[str] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(200))
    public: Mapped[bool] = mapped_column(default=False)
    asked_at: Mapped[datetime | None] = mapped_column(default=None)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
