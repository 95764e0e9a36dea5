"""The centre's own resident pages (the public site residents' phones open) collect ratings,
questions, views and searches in the outbox as a hall does. At the centre there is nowhere to
send them: they are filed here at once, as received from the built-in node 公众网站, so the
answer desk and the assessment count them with the halls'."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import UTC
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.outbox.services import pending
from kiosk.sync.inbox import store_batch
from kiosk.sync.models import SyncNode

PUBLIC_SITE = "公众网站"


def public_site_node(session: Session) -> SyncNode:
    """The node the centre's own pages file under; no token was ever issued for it, so no
    hall can sign in as it."""
    node = session.scalar(select(SyncNode).where(SyncNode.name == PUBLIC_SITE))
    if node is None:
        unusable = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
        node = SyncNode(name=PUBLIC_SITE, region="", token_hash=unusable)
        session.add(node)
        session.flush()
    return node


def file_own_outbox(session: Session, config: Mapping[str, Any]) -> int:
    """Centre: file what its own pages queued; returns how many records were new."""
    if config["KIOSK_ROLE"] != "central":
        return 0
    entries = pending(session)
    if not entries:
        return 0
    node, stored = public_site_node(session), 0
    for entry in entries:
        created = entry.created_at
        document = {
            "key": entry.key,
            "kind": entry.kind,
            "payload": entry.payload,
            "created_at": created if created.tzinfo else created.replace(tzinfo=UTC),
        }
        try:
            stored += store_batch(session, node, [document], config)
        except InputError as refused:  # e.g. an application without KIOSK_DATA_KEY: it waits
            entry.attempts += 1
            entry.last_error = str(refused)
            continue
        entry.sent_at = utcnow()
    return stored


def file_job(app: Flask) -> None:
    """Views and searches are written behind the page: filed within the job's interval."""
    with app.extensions["kiosk_db"].session() as session:
        file_own_outbox(session, app.config)
