from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow


class BroadcastSchedule(Base):
    """Which notices are read out over the loudspeaker, on which days and at which times."""

    __tablename__ = "broadcast_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Notice ids in reading order.
    notice_ids: Mapped[list] = mapped_column(JSON)
    # ISO weekdays (kiosk.weekdays), "12345" is Monday to Friday.
    weekdays: Mapped[str] = mapped_column(String(7))
    # Local times of the hall (KIOSK_TIMEZONE), "07:30,18:00".
    times: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    repeats: Mapped[int] = mapped_column(default=1)
    chime: Mapped[bool] = mapped_column(default=True)
    volume: Mapped[int] = mapped_column(default=80)  # percent of full scale
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BroadcastRun(Base):
    """One read-out: the claim that makes it happen once, and then its log entry.

    The unique (schedule_id, due_at) row is inserted before anything plays; a second
    scheduler (another thread or process) fails to insert it and leaves the read-out alone,
    and after a restart the row shows it already happened. The scheduler that holds it
    (claimed_by) does so until lease_until: a minute for making the audio, then the
    read-out's length plus a minute; a lease that runs out belonged to a process that died,
    and the next scheduler round takes the run over or logs it.
    """

    __tablename__ = "broadcast_run"
    __table_args__ = (UniqueConstraint("schedule_id", "due_at", name="uq_broadcast_run_due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcast_schedule.id", ondelete="SET NULL"), index=True
    )
    schedule_name: Mapped[str] = mapped_column(String(200))
    notice_ids: Mapped[list] = mapped_column(JSON)
    titles: Mapped[str] = mapped_column(Text, default="")
    # schedule: due by the schedule; manual: "play now" in the admin.
    trigger: Mapped[str] = mapped_column(String(16), default="schedule")
    due_at: Mapped[datetime] = mapped_column(index=True)
    # queued → claimed → playing → played; retrying → claimed …/failed; missed; interrupted.
    status: Mapped[str] = mapped_column(String(16), index=True)
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    sink: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    duration_seconds: Mapped[float | None] = mapped_column(default=None)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
