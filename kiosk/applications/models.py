"""Tables of information applications: the centre's register (identity number encrypted),
and on a hall its own applications' receipts and every application's status (no personal
data on a hall once the centre holds the application)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow

DELIVERY = ("纸质", "电子邮件", "到大厅领取")
OUTCOMES = ("公开", "部分公开", "不予公开", "信息不存在", "非本机关负责")
STATES = {
    "registered": "办理中",
    "correction": "待申请人补正（暂停计时）",
    "answered": "已答复",
}


class Application(Base):
    """Centre: one application in the register, with its statutory clock."""

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("sync_node.id"), index=True)
    applicant: Mapped[str] = mapped_column(String(200))  # name, or the organisation
    applicant_kind: Mapped[str] = mapped_column(String(16))  # 公民 / 法人或其他组织
    id_kind: Mapped[str] = mapped_column(String(32))
    id_cipher: Mapped[str] = mapped_column(Text)  # Fernet token under KIOSK_DATA_KEY
    id_masked: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text)
    item_code: Mapped[str] = mapped_column(String(64), default="")
    delivery: Mapped[str] = mapped_column(String(16))
    filled_by: Mapped[str] = mapped_column(String(64), default="")  # staff, for an oral one
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The clock: counted from clock_from (receipt, or the day a 补正 came in).
    clock_from: Mapped[date]
    due_on: Mapped[date | None] = mapped_column(default=None)  # None while stopped
    extended: Mapped[bool] = mapped_column(default=False)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="registered", index=True)
    correction_note: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16), default="")
    outcome_detail: Mapped[str] = mapped_column(Text, default="")  # reason, or the body
    answered_on: Mapped[date | None] = mapped_column(default=None)
    # Catalog sequence number of its last change: halls page the statuses by it.
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)


class HallApplication(Base):
    """Hall: the receipt of an application made here; no personal data."""

    __tablename__ = "hall_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    item_code: Mapped[str] = mapped_column(String(64), default="")
    delivery: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApplicationStatus(Base):
    """Hall: where an application of the county stands, from the feed; by number only."""

    __tablename__ = "application_status"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[date]
    due_on: Mapped[date | None] = mapped_column(default=None)
    extended: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str] = mapped_column(String(16), default="")
    answered_on: Mapped[date | None] = mapped_column(default=None)
