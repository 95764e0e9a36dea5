"""Hall: the files attached to catalog items, fetched in the background with each sync
round (resumable, hash-checked: kiosk.sync.hall.blob_fetch), then read as the touch page
will (a PDF's pages rendered here by pdftoppm) and only then shown. The hall's limit
(KIOSK_ATTACHMENT_CACHE_MB) is never passed: what does not fit waits. Files no item uses
any more go with the blob store's garbage job (kiosk.catalog.attachments is their source)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from kiosk.blobs.store import BlobStore
from kiosk.catalog.attachments import check_file
from kiosk.catalog.models import Attachment
from kiosk.db import Database
from kiosk.errors import InputError
from kiosk.sync.hall.blob_fetch import fetch_blob
from kiosk.sync.hall.errors import SyncError
from kiosk.sync.hall.http import Central
from kiosk.sync.hall.result import SyncResult

log = logging.getLogger("kiosk.sync")


def fetch_attachments(
    database: Database, central: Central, store: BlobStore, limit_bytes: int, result: SyncResult
) -> None:
    """Fetch the attachments not yet complete here, counting those that arrive."""
    with database.session() as session:
        attachments = list(session.scalars(select(Attachment).order_by(Attachment.id)))
        held = {a.sha256: a.size for a in attachments if a.complete}
        waiting = [(a.id, a.sha256, a.size, a.name) for a in attachments if not a.complete]
    space = sum(held.values())
    for attachment_id, sha256, size, name in waiting:
        if sha256 not in held and space + size > limit_bytes:
            log.warning("attachment %s waits: the hall's attachment space is full", name)
            continue
        fetch_blob(central, store, sha256, size, f"附件“{name}”")
        with database.session() as session:
            attachment = session.get(Attachment, attachment_id)
            if attachment is None:
                continue  # the county took it away meanwhile
            try:
                check_file(store, attachment)
            except InputError as failure:
                raise SyncError(str(failure)) from None
            attachment.complete = True
        if sha256 not in held:
            held[sha256] = size
            space += size
        result.attachment_files += 1
