"""The lease a scheduler holds on a broadcast run, and what happens when its holder dies.

A run is "claimed" (by one scheduler, until lease_until) from the moment it is taken until
its audio is ready: a minute. Then, with a compare-and-set on the holder, it becomes
"playing" until the read-out's expected end plus a minute. A lease that runs out means its
holder died (kill -9, power cut): a claimed run is taken over by the next round of any
scheduler while within the grace period and logged as missed after it; a run that died
while playing is logged as interrupted (it was partly heard, it is not replayed). Each
change is a compare-and-set on the holder and status, so two schedulers racing for one
run still play it once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from kiosk.broadcast.models import BroadcastRun
from kiosk.broadcast.services import run_payload
from kiosk.db import Database
from kiosk.outbox.services import enqueue

log = logging.getLogger("kiosk.broadcast")

LEASE_MARGIN = timedelta(minutes=1)
HELD = ("claimed", "playing")


def _expired(now: datetime) -> ColumnElement[bool]:
    # No lease at all: a run left "playing" by a version before leases.
    return or_(BroadcastRun.lease_until.is_(None), BroadcastRun.lease_until < now)


def _changed(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


def start_playing(
    database: Database, run_id: int, holder: str, now: datetime, seconds: float
) -> bool:
    """The audio is ready: "playing" under a lease to its end plus a margin, if `holder`
    still holds the run (False: another scheduler took it over meanwhile)."""
    with database.session() as session:
        return (
            _changed(
                session.execute(
                    update(BroadcastRun)
                    .where(
                        BroadcastRun.id == run_id,
                        BroadcastRun.claimed_by == holder,
                        BroadcastRun.status == "claimed",
                    )
                    .values(
                        status="playing",
                        started_at=now,
                        lease_until=now + timedelta(seconds=seconds) + LEASE_MARGIN,
                    )
                )
            )
            == 1
        )


def take_over_expired(
    database: Database, holder: str, now: datetime, grace: timedelta
) -> list[int]:
    """Runs whose lease ran out: the claimed ones still within `grace` of their due moment
    now held by `holder` (returned, to be played); the rest logged as missed/interrupted."""
    with database.session() as session:
        expired = list(
            session.execute(
                select(BroadcastRun.id, BroadcastRun.status, BroadcastRun.claimed_by)
                .where(BroadcastRun.status.in_(HELD), _expired(now))
                .order_by(BroadcastRun.due_at)
            )
        )
    taken: list[int] = []
    for run_id, status, died in expired:
        with database.session() as session:
            run = session.get(BroadcastRun, run_id)
            if run is None:
                continue
            still = (
                BroadcastRun.id == run_id,
                BroadcastRun.status == status,
                BroadcastRun.claimed_by == died,
                _expired(now),
            )
            if status == "claimed" and now - run.due_at <= grace:
                changed = session.execute(
                    update(BroadcastRun)
                    .where(*still)
                    .values(claimed_by=holder, lease_until=now + LEASE_MARGIN)
                )
                if _changed(changed) == 1:
                    log.warning(
                        "broadcast run %s: %s died before playing it; taken over", run_id, died
                    )
                    taken.append(run_id)
                continue
            if status == "claimed":
                outcome = "missed"
                error = f"{died} 领取后未能播放（进程停止），已超过宽限期，未补播"
            else:
                outcome, error = "interrupted", f"{died} 播放中断（进程停止），未重播"
            changed = session.execute(
                update(BroadcastRun)
                .where(*still)
                .values(status=outcome, finished_at=now, error=error, lease_until=None)
            )
            if _changed(changed) == 1:
                session.refresh(run)
                enqueue(session, "broadcast", run_payload(run))
                log.warning("broadcast run %s of %s: %s", run_id, died, outcome)
    return taken
