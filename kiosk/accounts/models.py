from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow

ROLES = ("county_admin", "hall_manager", "viewer")
ROLE_LABELS = {"county_admin": "县级管理员", "hall_manager": "大厅管理员", "viewer": "只读"}
# Higher rank includes the rights of the lower ones.
ROLE_RANK = {"viewer": 0, "hall_manager": 1, "county_admin": 2}


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    # The name compared without case: no `DupUser` beside `dupuser`.
    name_key: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session cookie: signing out, a new password or a new role raises it,
    # so a cookie saved before no longer opens the admin.
    session_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class LoginThrottle(Base):
    """Attempts counted per key within a window, counted and checked in one statement:
    failed sign-ins (an account from an address, or an account from anywhere), and
    residents' ratings and questions (a touch-screen session, an address)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column()
    failures: Mapped[int] = mapped_column(default=0)
