"""Hall: the files of county playlists, fetched in the background with each sync round.

Each goes on from where a cut left it (HTTP Range into a staging file named by its hash),
is checked against its SHA-256 before it joins the blob store, and only then gets its
thumbnail and PDF pages and is marked complete: entries using it play from then on. The
hall's cache limit (KIOSK_SIGNAGE_CACHE_MB) is never passed: what does not fit waits.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from kiosk.blobs.store import BlobStore
from kiosk.db import Database
from kiosk.errors import InputError
from kiosk.signage.county import ACTOR
from kiosk.signage.media import derive
from kiosk.signage.models import Media
from kiosk.sync.hall.blob_fetch import fetch_blob
from kiosk.sync.hall.errors import SyncError
from kiosk.sync.hall.http import Central
from kiosk.sync.hall.result import SyncResult

log = logging.getLogger("kiosk.signage")


def fetch_county_files(
    database: Database, central: Central, store: BlobStore, limit_bytes: int, result: SyncResult
) -> None:
    """Fetch the county files not yet complete here, counting those that arrive."""
    with database.session() as session:
        waiting = [
            (media.id, media.sha256, media.size, media.original_name)
            for media in session.scalars(
                select(Media).where(Media.complete.is_(False)).order_by(Media.id)
            )
        ]
        held = (
            session.scalar(
                select(func.coalesce(func.sum(Media.size), 0)).where(
                    Media.uploaded_by == ACTOR, Media.complete.is_(True)
                )
            )
            or 0
        )
    for media_id, sha256, size, name in waiting:
        if held + size > limit_bytes:
            log.warning("county file %s waits: the hall's signage cache is full", name)
            continue
        fetch_blob(central, store, sha256, size, f"县级文件“{name}”")
        with database.session() as session:
            media = session.get(Media, media_id)
            if media is None:
                continue  # the county took it away meanwhile
            try:
                derive(store, media, name)
            except InputError as failure:
                raise SyncError(str(failure)) from None
            media.complete = True
        held += size
        result.signage_files += 1
