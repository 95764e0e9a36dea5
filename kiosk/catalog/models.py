from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.db import Base, utcnow


class Item(Base):
    """One disclosure item: the 16 catalog elements plus what a deployment needs."""

    __tablename__ = "catalog_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    disclosure_type: Mapped[str] = mapped_column(String(8))
    domain: Mapped[str] = mapped_column(String(64), index=True)
    category1: Mapped[str] = mapped_column(String(200))
    category2: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(String(500))
    time_limit: Mapped[str] = mapped_column(String(200), default="")
    channels: Mapped[str] = mapped_column(String(500), default="")
    audience: Mapped[str] = mapped_column(String(200), default="")
    disclosure_form: Mapped[str] = mapped_column(String(16))
    presentation: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    service_category: Mapped[str] = mapped_column(String(16), default="")
    item_type: Mapped[str] = mapped_column(String(32), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(200), index=True)
    online_url: Mapped[str] = mapped_column(String(1000), default="")
    # Simplified-Chinese and pinyin forms of name and content, kept for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_pinyin: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Files shown with the item (呈现形式: 信息图, 视频, 表格, 图文), in the order staff put them.
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )

    __table_args__ = (Index("ix_catalog_item_domain_cat", "domain", "category1", "category2"),)

    def __repr__(self) -> str:
        return f"<Item {self.code} {self.name}>"


class Attachment(Base):
    """A file shown with an item, in the blob store by its SHA-256 (kiosk.catalog.attachments)."""

    __tablename__ = "catalog_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_item.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # image, pdf, video, table, captions
    # A PDF's pages rendered on this node as PNG images (SHA-256 each): what screens show.
    pages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # False on a hall while the file is on its way: the item page leaves it out until then.
    complete: Mapped[bool] = mapped_column(default=True)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
