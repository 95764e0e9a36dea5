"""Staff API keys: a program acting with a role's rights on /api/v1/ (the management API).

A key is created in the admin by a county admin, shown once, and only its SHA-256 is kept;
a revoked key opens nothing. Calls made with a key are audit-logged under its name."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kiosk.accounts.models import ROLE_RANK
from kiosk.audit.services import record
from kiosk.db import Base, utcnow
from kiosk.errors import InputError
from kiosk.parsing import required_text
from kiosk.sync.nodes import token_hash

KEY_PREFIX = "hk_"
NAME_MAX = 40


class StaffKey(Base):
    __tablename__ = "staff_api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))  # the key's first characters, to tell keys apart
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_by: Mapped[str] = mapped_column(String(64), default="")

    @property
    def actor(self) -> str:
        """Who the audit log names for a call made with this key."""
        return f"密钥:{self.name}"

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def create_key(session: Session, name: str, role: str, actor: str) -> tuple[StaffKey, str]:
    """A new key and its secret, which is shown once and never stored (a county admin's
    work: the admin page is theirs only)."""
    name = required_text(name, "密钥名称", NAME_MAX, field="name")
    if role not in ROLE_RANK:
        raise InputError("请选择密钥的权限。", "role")
    if session.scalar(select(StaffKey).where(StaffKey.name == name)) is not None:
        raise InputError(f"已经有名为“{name}”的密钥了。", "name")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = StaffKey(
        name=name, role=role, key_hash=token_hash(secret), hint=secret[:8], created_by=actor
    )
    session.add(key)
    session.flush()
    record(
        session,
        actor,
        "staff_key.create",
        f"staff_key:{key.id}",
        None,
        {"name": name, "role": role},
    )
    return key, secret


def revoke_key(session: Session, key: StaffKey, actor: str) -> None:
    if key.revoked_at is not None:
        return
    key.revoked_at, key.revoked_by = utcnow(), actor
    record(session, actor, "staff_key.revoke", f"staff_key:{key.id}", {"name": key.name}, None)


def list_keys(session: Session) -> list[StaffKey]:
    return list(session.scalars(select(StaffKey).order_by(StaffKey.id.desc())))


def authenticate_key(session: Session, secret: str) -> StaffKey | None:
    """The unrevoked key `secret` is, or None."""
    if not secret.startswith(KEY_PREFIX):
        return None
    digest = token_hash(secret)
    key = session.scalar(select(StaffKey).where(StaffKey.key_hash == digest))
    if key is None or not hmac.compare_digest(key.key_hash, digest):
        return None
    return key if key.revoked_at is None else None
