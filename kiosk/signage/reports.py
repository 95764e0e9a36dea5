"""Screens report upward: a hall queues, every few minutes, what each of its screens shows
(online or not, the entry, last seen) for the centre, which summarises them per hall; proof
of play is summarised per county playlist (plays carry the county playlist's id)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.db import utcnow
from kiosk.outbox.services import enqueue
from kiosk.signage.models import Playlist, Screen
from kiosk.signage.screens import is_online
from kiosk.sync.models import ReceivedRecord, SyncNode

REPORT_SECONDS = 300
KIND = "screens"


def queue_screen_report(session: Session, now: datetime | None = None) -> None:
    now = now or utcnow()
    screens = session.scalars(select(Screen).where(Screen.claimed_at.is_not(None)))
    enqueue(
        session,
        KIND,
        {
            "at": now.isoformat(),
            "screens": [
                {
                    "slug": screen.slug,
                    "name": screen.name,
                    "online": is_online(screen, now),
                    "showing": screen.current_title,
                    "last_seen": screen.last_seen_at.isoformat() if screen.last_seen_at else None,
                }
                for screen in screens
            ],
        },
    )


def report_job(app: Flask) -> None:
    with app.extensions["kiosk_db"].session() as session:
        queue_screen_report(session)


def hall_screens(session: Session) -> list[dict[str, Any]]:
    """Centre: each hall's latest screen report, halls by name."""
    latest = (
        select(ReceivedRecord.node_id, func.max(ReceivedRecord.id).label("last"))
        .where(ReceivedRecord.kind == KIND)
        .group_by(ReceivedRecord.node_id)
        .subquery()
    )
    rows = session.execute(
        select(SyncNode, ReceivedRecord)
        .join(latest, latest.c.node_id == SyncNode.id)
        .join(ReceivedRecord, ReceivedRecord.id == latest.c.last)
        .order_by(SyncNode.name)
    ).all()
    return [
        {
            "hall": node.name,
            "region": node.region,
            "at": datetime.fromisoformat(record.payload["at"]),
            "screens": record.payload.get("screens", []),
            "online": sum(1 for s in record.payload.get("screens", []) if s.get("online")),
        }
        for node, record in rows
    ]


def county_plays(session: Session) -> list[dict[str, Any]]:
    """Centre: plays of each county playlist, per hall (from the halls' proof of play)."""
    names = {str(p.id): p.name for p in session.scalars(select(Playlist))}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    query = (
        select(SyncNode.name, ReceivedRecord.payload)
        .join(SyncNode, SyncNode.id == ReceivedRecord.node_id)
        .where(ReceivedRecord.kind == "play")
    )
    for hall, payload in session.execute(query):
        county = payload.get("county_playlist")
        if county in names:
            counts[(names[county], hall)] += 1
    return [
        {"playlist": playlist, "hall": hall, "plays": plays}
        for (playlist, hall), plays in sorted(counts.items())
    ]


def init_app(app: Flask) -> None:
    if app.config["KIOSK_ROLE"] != "central" and app.config["KIOSK_CENTRAL_URL"]:
        app.extensions["kiosk_jobs"].register("signage-report", report_job, REPORT_SECONDS)
