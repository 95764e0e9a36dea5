"""Hall nodes known to the centre: issue, revoke and check their tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.regions.services import normalise_path
from kiosk.sync.models import SyncNode

NAME_MAX = 64
# A poll refreshes "last seen" at most this often, so polling is not a write each time.
SEEN_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    # Tokens are 256 random bits: a plain hash is enough, no slow KDF needed.
    return hashlib.sha256(token.encode()).hexdigest()


def add_node(session: Session, name: str, region: str, actor: str) -> tuple[SyncNode, str]:
    """Create a node; returns it and its token, which is shown once and never stored."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise InputError(f"节点名称要填 1 到 {NAME_MAX} 个字。", "name")
    region = normalise_path(region)
    if session.scalar(select(SyncNode).where(SyncNode.name == name)) is not None:
        raise InputError(f"已经有名为“{name}”的节点了：请吊销它后换一个新名称添加。", "name")
    token = secrets.token_urlsafe(32)
    node = SyncNode(name=name, region=region, token_hash=token_hash(token))
    session.add(node)
    session.flush()
    record(session, actor, "node.add", f"node:{name}", None, {"region": region})
    return node, token


def revoke_node(session: Session, name: str, actor: str) -> SyncNode:
    node = session.scalar(select(SyncNode).where(SyncNode.name == name.strip()))
    if node is None:
        raise InputError(f"没有名为“{name}”的节点。")
    if node.revoked_at is None:
        node.revoked_at = utcnow()
        record(
            session,
            actor,
            "node.revoke",
            f"node:{node.name}",
            {"revoked": False},
            {"revoked": True},
        )
    return node


def authenticate_node(session: Session, token: str) -> SyncNode | None:
    """The active node holding `token`, or None."""
    if not token:
        return None
    digest = token_hash(token)
    node = session.scalar(select(SyncNode).where(SyncNode.token_hash == digest))
    if node is None or not hmac.compare_digest(node.token_hash, digest):
        return None
    return node if node.revoked_at is None else None


def poll_worth_noting(node: SyncNode, cursor: int, now: datetime) -> bool:
    """Whether a poll changes what the centre shows of the node (last seen, cursor)."""
    return (
        node.last_seen_at is None
        or now - node.last_seen_at >= SEEN_EVERY
        or node.last_cursor != cursor
    )


def note_poll(session: Session, node_id: int, cursor: int, at: datetime) -> None:
    """Record a node's poll (from the write-behind buffer, off the request path)."""
    node = session.get(SyncNode, node_id)
    if node is not None and (node.last_seen_at is None or node.last_seen_at < at):
        node.last_seen_at, node.last_cursor = at, cursor


def list_nodes(session: Session) -> list[SyncNode]:
    return list(session.scalars(select(SyncNode).order_by(SyncNode.name)))
