"""Staff accounts: create, sign in, change role or password, deactivate, unlock."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.accounts import throttle
from kiosk.accounts.models import ROLE_LABELS, ROLES, User
from kiosk.audit.services import record
from kiosk.db import utcnow
from kiosk.errors import InputError

MIN_PASSWORD_LENGTH = 10
NAME_MAX = 64
# A hash to check when the account does not exist, so both answers take as long.
_NOBODY = generate_password_hash("no such account")


class Throttled(Exception):
    """Too many wrong passwords lately; the attempt was counted and not checked."""


def name_key(name: str) -> str:
    return name.strip().casefold()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"密码太简单：至少要 {MIN_PASSWORD_LENGTH} 个字符。", "password")


def _check_role(role: str) -> None:
    if role not in ROLES:
        labels = "、".join(ROLE_LABELS[r] for r in ROLES)
        raise InputError(f"没有“{role}”这种角色，请选：{labels}。", "role")


def validate_new_user(session: Session, name: str, role: str, password: str) -> None:
    if not name or len(name) > NAME_MAX or not name.isprintable() or " " in name:
        raise InputError("用户名要 1 到 64 个字符，不能有空格或控制字符。", "name")
    _check_role(role)
    _check_password(password)
    if find_user(session, name) is not None:
        raise InputError(f"已经有名为“{name}”的用户了（用户名不分大小写）。", "name")


def create_user(session: Session, name: str, role: str, password: str, actor: str = "cli") -> User:
    validate_new_user(session, name, role, password)
    user = User(
        name=name,
        name_key=name_key(name),
        role=role,
        password_hash=generate_password_hash(password),
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.create", f"user:{name}", None, {"name": name, "role": role})
    return user


def find_user(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name_key == name_key(name)))


def authenticate(session: Session, name: str, password: str, address: str) -> User | None:
    """The user when the password is right; raises Throttled when too many recent failures.
    Counts the attempt before checking it, in the caller's transaction (commit it either way)."""
    now = utcnow()
    account = name_key(name)
    if throttle.over_limit(session, account, address, now):
        raise Throttled()
    user = find_user(session, name)
    if user is None or not user.active:
        check_password_hash(_NOBODY, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    throttle.forget_account(session, account)
    record(session, user.name, "user.login", f"user:{user.name}", None, None)
    return user


def sign_out(session: Session, user: User) -> None:
    """Every session cookie of this user stops working (this browser's and any copy)."""
    user.session_version += 1


def set_role(session: Session, user: User, role: str, actor: str) -> User:
    _check_role(role)
    return _change(session, user, "role", role, actor)


def _change(session: Session, user: User, field: str, value: object, actor: str) -> User:
    """A change of what the account may do: audited, and every session of it ends."""
    if getattr(user, field) != value:
        record(session, actor, "user.update", f"user:{user.name}",
               {field: getattr(user, field)}, {field: value})  # fmt: skip
        setattr(user, field, value)
        user.session_version += 1
    return user


def set_password(session: Session, user: User, password: str, actor: str) -> User:
    _check_password(password)
    user.password_hash = generate_password_hash(password)
    user.session_version += 1
    record(session, actor, "user.password", f"user:{user.name}", None, None)
    return user


def change_own_password(session: Session, user: User, current: str, new: str) -> User:
    if not check_password_hash(user.password_hash, current):
        raise InputError("原密码不对。", "current")
    return set_password(session, user, new, user.name)


def set_active(session: Session, user: User, active: bool, actor: str) -> User:
    if user.name == actor and not active:
        raise InputError("不能停用自己的账号。")
    return _change(session, user, "active", active, actor)


def unlock(session: Session, user: User, actor: str) -> None:
    """Let the account sign in again now (after someone guessed at its password)."""
    throttle.forget_account(session, name_key(user.name))
    record(session, actor, "user.unlock", f"user:{user.name}", None, None)


def locked_names(session: Session) -> set[str]:
    """Name keys of the accounts refused from every address right now."""
    return set(throttle.locked_accounts(session, utcnow()))


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
