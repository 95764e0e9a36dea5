"""What a player receives: the program (its layout, the ticker and the entries of today
from the published playlist), with a version the player polls to see that it changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.notices.services import current_notices_query
from kiosk.signage.models import Media, Playlist, Screen

TICKER_SIZE = 20


def layout_of(screen: Screen) -> str:
    """The screen's own layout, else its group's."""
    return screen.layout or (screen.group.layout if screen.group else "standard")


def ticker(session: Session, region: str, now: datetime) -> list[str]:
    """Titles of the current notices for the scrolling line (滚动字幕)."""
    query = current_notices_query(region, now=now).limit(TICKER_SIZE)
    return [notice.title for notice in session.scalars(query)]


def program(
    session: Session,
    screen: Screen | None,
    playlist: Playlist | None,
    *,
    now: datetime,
    tz: tzinfo,
    hall_name: str,
    region: str,
    layout: str = "standard",
) -> dict[str, Any]:
    """Everything one player needs to play offline; its hash is the version it polls."""
    today = now.astimezone(tz).date().isoformat()
    entries = []
    if playlist is not None and playlist.published:
        waiting = _files_on_their_way(session, playlist.published)
        entries = [
            e
            for e in playlist.published
            if e["enabled"]
            and (e["starts_on"] is None or e["starts_on"] <= today)
            and (e["ends_on"] is None or e["ends_on"] >= today)
            and e.get("media") not in waiting
        ]
    body: dict[str, Any] = {
        "screen": {"slug": screen.slug, "name": screen.name} if screen else None,
        "hall": hall_name,
        "layout": layout,
        "ticker": ticker(session, region, now),
        "playlist": (
            {"id": playlist.id, "name": playlist.name, "revision": playlist.published_revision}
            if playlist
            else None
        ),
        "entries": entries,
    }
    body["version"] = version_of(body)
    return body


def _files_on_their_way(session: Session, entries: list[dict[str, Any]]) -> set[int]:
    """Media of these entries not yet complete and verified here (county files)."""
    ids = {e["media"] for e in entries if e.get("media")}
    if not ids:
        return set()
    query = select(Media.id).where(Media.id.in_(ids), Media.complete.is_(False))
    return set(session.scalars(query))


def version_of(body: Mapping[str, Any]) -> str:
    text = json.dumps(
        {k: v for k, v in body.items() if k != "version"}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def media_on_screens(session: Session, media_id: int) -> bool:
    """Whether a published playlist shows this file (drafts stay private until approved)."""
    for published in session.scalars(
        select(Playlist.published).where(Playlist.published.is_not(None))
    ):
        if any(entry.get("media") == media_id for entry in published or []):
            return True
    return False
