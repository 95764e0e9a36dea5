"""Tables of the sync: change sequence and tombstones and node tokens (centre), what halls
sent up (centre), and the hall's own sync state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow


class CatalogSequence(Base):
    """One row: the catalog version. Updating it row-locks until commit, so sequence
    numbers become visible in order (no reader sees 11 before 10 is committed)."""

    __tablename__ = "catalog_sequence"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # Tombstones up to this sequence were purged: an older cursor must resync in full.
    purged_through: Mapped[int] = mapped_column(BigInteger, default=0)


class CatalogChange(Base):
    """The sequence number of each live item's last change."""

    __tablename__ = "catalog_change"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)


class CatalogTombstone(Base):
    """An item left `region`'s scope (removed, no longer public, or moved)."""

    __tablename__ = "catalog_tombstone"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(200), index=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("code", "region", name="uq_catalog_tombstone_code_region"),)


class SyncNode(Base):
    """A hall node known to the centre; only the SHA-256 of its token is kept."""

    __tablename__ = "sync_node"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    region: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)
    last_cursor: Mapped[int] = mapped_column(BigInteger, default=0)


class ReceivedRecord(Base):
    """An outbox entry a hall sent; its key makes a repeated delivery a no-op."""

    __tablename__ = "received_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("sync_node.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime | None] = mapped_column(default=None)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("node_id", "key", name="uq_received_record_node_key"),)


class SyncState(Base):
    """One row on a hall node: where its catalog stands and how the last sync went."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    latest: Mapped[int] = mapped_column(BigInteger, default=0)
    # ETag of the last answer at `cursor`: an unchanged poll costs a 304.
    etag: Mapped[str] = mapped_column(String(100), default="")
    # A full resync is under way: items not seen again are removed when it completes.
    resyncing: Mapped[bool] = mapped_column(default=False)
    # The snapshot (its SHA-256) being applied in batches; ResyncSeen holds the codes done.
    staged_snapshot: Mapped[str] = mapped_column(String(64), default="")
    items_held: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None] = mapped_column(default=None)
    outbox_sent: Mapped[int] = mapped_column(default=0)
    # The `seq` of the last answer to residents' questions received (kiosk/answers).
    answers_cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    # The `seq` of the last information application status received (kiosk/applications).
    applications_cursor: Mapped[int] = mapped_column(BigInteger, default=0)


class ResyncSeen(Base):
    """Codes received during a full resync (cleared when it completes)."""

    __tablename__ = "sync_resync_seen"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
