"""Every change of an item at the centre is kept as a version: who, when, from which file
(name and SHA-256) or form, approved by whom, and every element's value.

The catalog services call `record_version`; what the change came from is set around the
call with `changes_from(session, Source(...))`, so the importer needs no extra argument.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.catalog.desk.models import ItemVersion

SOURCE_KEY = "catalog_change_source"
SOURCE_LABELS = {"file": "导入文件", "form": "表单修改", "cli": "命令行导入", "": "系统"}


@dataclass(frozen=True)
class Source:
    kind: str  # file, form, cli ("" when nobody said)
    file_name: str = ""
    file_sha256: str = ""
    reason: str = ""
    approved_by: str = ""


@contextmanager
def changes_from(session: Session, source: Source) -> Iterator[None]:
    """Versions recorded inside name `source` as where the change came from."""
    previous = session.info.get(SOURCE_KEY)
    session.info[SOURCE_KEY] = source
    try:
        yield
    finally:
        session.info[SOURCE_KEY] = previous


def version_row(
    session: Session, code: str, action: str, values: Mapping[str, str], actor: str
) -> dict[str, Any]:
    """The columns of a version, its source from `changes_from` (for bulk inserts)."""
    source: Source = session.info.get(SOURCE_KEY) or Source("")
    return {
        "code": code,
        "action": action,
        "values": dict(values),
        "actor": actor,
        "approved_by": source.approved_by,
        "source": source.kind,
        "file_name": source.file_name,
        "file_sha256": source.file_sha256,
        "reason": source.reason,
    }


def record_version(
    session: Session, code: str, action: str, values: Mapping[str, str], actor: str
) -> None:
    session.add(ItemVersion(**version_row(session, code, action, values, actor)))


def history(session: Session, code: str) -> list[ItemVersion]:
    """The item's versions, newest first."""
    query = select(ItemVersion).where(ItemVersion.code == code).order_by(ItemVersion.id.desc())
    return list(session.scalars(query))


def changed_elements(older: Mapping[str, str] | None, newer: Mapping[str, str]) -> list[str]:
    """The fields whose value differs between two versions (all of them for the first)."""
    return [field for field, value in newer.items() if older is None or older.get(field) != value]
