"""The hall's sync status as a person reads it (`kiosk sync`, the admin pages): Chinese, with
times in the hall's local time (KIOSK_TIMEZONE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.outbox.models import OutboxEntry
from kiosk.pages import wall_clock
from kiosk.sync.models import SyncState


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    return f"{wall_clock(moment, zone)}（本地时间）"


@dataclass(frozen=True)
class SyncStatus:
    cursor: int  # the catalog version held
    latest: int  # the centre's version when last asked
    resyncing: bool
    items_held: int
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str
    outbox_waiting: int
    outbox_sent: int

    @property
    def behind(self) -> int:
        return max(self.latest - self.cursor, 0)

    def lines(self, zone: ZoneInfo) -> list[str]:
        if self.last_success_at is None and self.cursor == self.latest == 0:
            version = f"目录版本 {self.cursor}（尚未从县中心取得目录）"
        elif self.behind:
            version = f"目录版本 {self.cursor}（中心为 {self.latest}，落后 {self.behind}）"
        else:
            version = f"目录版本 {self.cursor}（中心为 {self.latest}，已是最新）"
        lines = [version]
        if self.resyncing:
            lines.append("正在整体重新同步：完成之前照常使用原有目录")
        lines.append(f"已有事项：{self.items_held} 项")
        success = self.last_success_at
        lines.append(f"上次成功：{local_time(success, zone) if success else '从未'}")
        if self.last_error_at is None:
            lines.append("上次错误：无")
        else:
            # A round that succeeds clears it: an error shown is the state now.
            lines.append(f"上次错误：{local_time(self.last_error_at, zone)}，{self.last_error}")
        lines.append(f"待发送：{self.outbox_waiting} 条，已送达 {self.outbox_sent} 条")
        return lines


def sync_status(session: Session) -> SyncStatus:
    """Read only: a node that never synced has no state row yet, and gets none here."""
    waiting = session.scalar(
        select(func.count(OutboxEntry.id)).where(OutboxEntry.sent_at.is_(None))
    )
    state = session.get(SyncState, 1)
    if state is None:
        return SyncStatus(0, 0, False, 0, None, None, "", waiting or 0, 0)
    return SyncStatus(
        cursor=state.cursor,
        latest=state.latest,
        resyncing=state.resyncing,
        items_held=state.items_held,
        last_success_at=state.last_success_at,
        last_error_at=state.last_error_at,
        last_error=state.last_error,
        outbox_waiting=waiting or 0,
        outbox_sent=state.outbox_sent,
    )
