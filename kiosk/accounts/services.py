from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.accounts.models import ROLES, LoginAttempt, User
from kiosk.audit.services import record
from kiosk.db import utcnow
from kiosk.errors import InputError

MIN_PASSWORD_LENGTH = 10
# Five wrong guesses per account, twenty per address, within a quarter hour, then a wait.
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


class Throttled(Exception):
    pass


def validate_new_user(session: Session, name: str, role: str, password: str) -> None:
    if not name or len(name) > 64 or not name.isprintable() or " " in name:
        raise InputError("用户名要 1 到 64 个字符，不能有空格或控制字符。", "name")
    if role not in ROLES:
        raise InputError(f"没有“{role}”这种角色，请选：{'、'.join(ROLES)}。", "role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"密码太简单：至少要 {MIN_PASSWORD_LENGTH} 个字符。", "password")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise InputError(f"已经有名为“{name}”的用户了。", "name")


def create_user(session: Session, name: str, role: str, password: str, actor: str = "cli") -> User:
    validate_new_user(session, name, role, password)
    user = User(name=name, role=role, password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    record(session, actor, "user.create", f"user:{name}", None, {"name": name, "role": role})
    return user


def recent_failures(session: Session, name: str, address: str, now: datetime) -> tuple[int, int]:
    since = now - THROTTLE_WINDOW
    recent = LoginAttempt.attempted_at >= since
    per_account = session.scalar(select(func.count()).where(LoginAttempt.account == name, recent))
    per_address = session.scalar(
        select(func.count()).where(LoginAttempt.address == address, recent)
    )
    return per_account or 0, per_address or 0


def authenticate(session: Session, name: str, password: str, address: str) -> User | None:
    """Check a sign-in; raises Throttled when too many recent failures."""
    now = utcnow()
    per_account, per_address = recent_failures(session, name, address, now)
    if per_account >= MAX_FAILURES_PER_ACCOUNT or per_address >= MAX_FAILURES_PER_ADDRESS:
        raise Throttled()
    user = session.scalar(select(User).where(User.name == name, User.active.is_(True)))
    if user is not None and check_password_hash(user.password_hash, password):
        session.execute(
            delete(LoginAttempt).where(
                or_(LoginAttempt.account == name, LoginAttempt.attempted_at < now - THROTTLE_WINDOW)
            )
        )
        record(session, name, "user.login", f"user:{name}", None, None)
        return user
    session.add(LoginAttempt(account=name, address=address, attempted_at=now))
    return None


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
