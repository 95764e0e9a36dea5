from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.db import Base, utcnow

VERSION_ACTIONS = {"add": "新增", "update": "修改", "status": "公开状态变更", "remove": "删除"}
IMPORT_STATES = {
    "previewed": "已预览，未确认",
    "pending": "待审核",
    "applied": "已导入",
    "rejected": "已退回",
    "withdrawn": "已撤回",
}


class ItemVersion(Base):
    """One stored version of an item: who changed it, when, from which file or form, and
    every element's value after the change (a removal keeps the last values)."""

    __tablename__ = "catalog_item_version"
    __table_args__ = (Index("ix_catalog_item_version_code", "code", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(16), default="")  # file, form, cli, sync...
    file_name: Mapped[str] = mapped_column(String(300), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CatalogImport(Base):
    """Files uploaded at the desk, kept in the blob store as the record, and what their
    preview showed (frozen: the reviewer approves what the uploader saw)."""

    __tablename__ = "catalog_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # name, sha256, size
    region: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="previewed", index=True)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[str] = mapped_column(String(300), default="")
    applied_at: Mapped[datetime | None] = mapped_column(default=None)
