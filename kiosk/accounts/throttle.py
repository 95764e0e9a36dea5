"""Sign-in throttling: each attempt is counted and checked in the same statement.

Three counters, each over a quarter of an hour: an account from one address (the one that
stops a guesser), one address over every account, and an account from anywhere, with a much
higher bar so that nobody can lock a known account out by guessing at it. A correct
password clears the account's counters; a county admin can clear them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk.accounts.models import LoginThrottle

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Limit:
    prefix: str
    most: int  # attempts allowed in a window; one more is refused unchecked


PER_ACCOUNT_AND_ADDRESS = Limit("pair", 5)
PER_ADDRESS = Limit("addr", 20)
PER_ACCOUNT = Limit("acct", 50)


def keys(account: str, address: str) -> list[tuple[Limit, str]]:
    return [
        (PER_ACCOUNT_AND_ADDRESS, f"pair:{account}|{address}"),
        (PER_ADDRESS, f"addr:{address}"),
        (PER_ACCOUNT, f"acct:{account}"),
    ]


def count_attempt(session: Session, key: str, now: datetime) -> int:
    """One more attempt under `key`; the attempts in the current window, this one included.
    An upsert that returns the count: the database's row lock makes count and check one."""
    table = cast(Table, LoginThrottle.__table__)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stale = table.c.window_start < now - WINDOW
    statement = (
        insert(table)
        .values(key=key, window_start=now, failures=1)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((stale, 1), else_=table.c.failures + 1),
                "window_start": case((stale, now), else_=table.c.window_start),
            },
        )
        .returning(table.c.failures)
    )
    return int(session.execute(statement).scalar_one())


def over_limit(session: Session, account: str, address: str, now: datetime) -> bool:
    """Count this attempt everywhere; True when any counter is past its limit."""
    counts = [(limit, count_attempt(session, key, now)) for limit, key in keys(account, address)]
    return any(count > limit.most for limit, count in counts)


def forget_account(session: Session, account: str) -> None:
    """A correct password (or an admin's unlock): the account's counters start again."""
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.key.startswith(f"pair:{account}|", autoescape=True)
            | (LoginThrottle.key == f"acct:{account}")
        )
    )


def locked_accounts(session: Session, now: datetime) -> list[str]:
    """Accounts refused from everywhere right now (past the account-wide limit)."""
    rows = session.scalars(
        select(LoginThrottle.key).where(
            LoginThrottle.key.like("acct:%"),
            LoginThrottle.failures > PER_ACCOUNT.most,
            LoginThrottle.window_start >= now - WINDOW,
        )
    )
    return sorted(key.removeprefix("acct:") for key in rows)
