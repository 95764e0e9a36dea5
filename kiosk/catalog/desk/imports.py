"""Imports at the desk: keep the uploaded files as the record, preview them, confirm, and
(after review when KIOSK_REVIEW_STEPS > 0) apply them through the importer the CLI uses."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import IO, Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.blobs.services import Need, register_source, store_of
from kiosk.blobs.store import BlobStore
from kiosk.catalog.desk.models import CatalogImport
from kiosk.catalog.desk.plan import make_plan
from kiosk.catalog.desk.versions import Source, changes_from
from kiosk.catalog.importing import importer
from kiosk.catalog.importing.tables import check_suffix
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.regions.services import check_region
from kiosk.review import services as review
from kiosk.review.models import Review

KIND = "catalog_import"
FILES_MAX = 10
NAME_MAX = 200


def _file_name(name: str) -> str:
    clean = PurePath(name.replace("\\", "/")).name.strip()
    if not clean or len(clean) > NAME_MAX or not clean.isprintable():
        raise InputError("文件名不可用：请把文件改成一个普通的名字再上传。", "files")
    check_suffix(Path(clean))
    return clean


def store_uploads(
    store: BlobStore, uploads: Iterable[tuple[str, IO[bytes]]], max_bytes: int
) -> list[dict[str, Any]]:
    """Keep each uploaded file in the blob store; [{name, sha256, size}]."""
    files = []
    for name, stream in uploads:
        clean = _file_name(name)
        stored = store.put(stream, max_bytes, f"文件“{clean}”")
        files.append({"name": clean, "sha256": stored.sha256, "size": stored.size})
    if not files:
        raise InputError("请选择要导入的文件。", "files")
    if len(files) > FILES_MAX:
        raise InputError(f"一次最多导入 {FILES_MAX} 个文件。", "files")
    return files


def preview_import(
    session: Session,
    store: BlobStore,
    files: list[dict[str, Any]],
    region: str,
    actor: str,
    max_mb: int,
) -> CatalogImport:
    """Record the upload and what it would change; nothing in the catalog is written.

    max_mb: the app's KIOSK_IMPORT_MAX_MB (what one file may unpack to)."""
    region = check_region(session, region, "region") if region else ""
    imported = CatalogImport(
        files=files,
        region=region,
        plan=make_plan(session, store, files, region, max_mb).shown,
        uploaded_by=actor,
        approved_by="",
    )
    session.add(imported)
    session.flush()
    record(session, actor, "catalog.upload", f"catalog:{imported.id}", None, _described(imported))
    return imported


def _described(imported: CatalogImport) -> dict[str, Any]:
    return {
        "files": [{"name": f["name"], "sha256": f["sha256"]} for f in imported.files],
        "region": imported.region,
        "counts": imported.plan["counts"],
    }


def get_import(session: Session, import_id: int) -> CatalogImport:
    found = session.get(CatalogImport, import_id)
    if found is None:
        raise InputError(f"没有编号为 {import_id} 的导入。")
    return found


def title_of(imported: CatalogImport) -> str:
    return "导入 " + "、".join(f["name"] for f in imported.files)


def confirm_import(session: Session, imported: CatalogImport, actor: str, steps: int) -> Review:
    """Send the previewed import for review; with 0 steps it is applied at once."""
    if imported.state != "previewed":
        raise InputError("这次导入已经确认过了。")
    if imported.plan["errors"]:
        raise InputError("文件有错误，不能导入：请改正后重新上传。")
    imported.state = "pending"
    content = {"import": imported.id, **_described(imported), "plan": imported.plan}
    return review.submit(
        session, KIND, imported.id, title_of(imported), content, actor=actor, steps=steps
    )


def apply_import(
    session: Session,
    store: BlobStore,
    imported: CatalogImport,
    approved_by: list[str],
    max_mb: int,
) -> None:
    """Apply the files as previewed, through the importer; refused if the catalog has
    changed since the preview (the approval would be of another change)."""
    plan = make_plan(session, store, imported.files, imported.region, max_mb)
    if plan.shown != imported.plan:
        raise InputError("预览之后目录又有了变化，这次导入的差异已经不准：请重新上传预览后再送审。")
    approvers = "、".join(approved_by)
    for held, preview in plan.previews:
        source = Source("file", held["name"], held["sha256"], approved_by=approvers)
        with changes_from(session, source):
            importer.apply_import(session, preview, actor=imported.uploaded_by)
    imported.state, imported.approved_by, imported.applied_at = "applied", approvers, utcnow()
    record(
        session,
        approvers or imported.uploaded_by,
        "catalog.import",
        f"catalog:{imported.id}",
        None,
        {**_described(imported), "uploaded_by": imported.uploaded_by, "approved_by": approvers},
    )


def _import_of(session: Session, item: Review) -> CatalogImport:
    return get_import(session, int(item.subject_id))


def _publish(session: Session, item: Review, actor: str) -> None:
    approvers = [step["by"] for step in item.approvals] or [actor]
    max_mb = current_app.config["KIOSK_IMPORT_MAX_MB"]
    apply_import(session, store_of(current_app), _import_of(session, item), approvers, max_mb)


def _closed(state: str) -> review.Step:
    def step(session: Session, item: Review, _actor: str) -> None:
        _import_of(session, item).state = state

    return step


review.register_kind(
    review.ReviewKind(
        KIND,
        "目录导入",
        publish=_publish,
        rejected=_closed("rejected"),
        withdrawn=_closed("withdrawn"),
        role="county_admin",
    )
)


def recent_imports(session: Session, limit: int = 30) -> list[CatalogImport]:
    query = select(CatalogImport).order_by(CatalogImport.id.desc()).limit(limit)
    return list(session.scalars(query))


def _kept_files(session: Session, region: str | None) -> Iterable[Need]:
    """Uploaded catalog files are the centre's record: kept, and never sent to a hall."""
    if region is not None:
        return []
    return [
        Need(held["sha256"], held["size"], f"目录导入：{held['name']}")
        for files in session.scalars(select(CatalogImport.files))
        for held in files
    ]


register_source("catalog-imports", _kept_files)
