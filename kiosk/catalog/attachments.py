"""Files attached to catalog items (呈现形式: 信息图, 视频, 表格, 图文): images, PDF, video,
tables (.xlsx, .csv) and captions (.vtt) for a video of the same base name.

County staff add them at the catalog desk; each is checked by its content as signage
uploads are (kiosk.blobs.uploads, kiosk.signage.rendering), kept in the blob store by its
SHA-256 and sent to the halls inside the item's document in the change feed. A hall
fetches the files in the background (kiosk.sync.hall.attachment_files) and renders a
PDF's pages as images itself; the touch page shows only complete ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record
from kiosk.blobs.services import Need, forget_unused, register_source
from kiosk.blobs.store import BlobStore
from kiosk.blobs.uploads import label_of, put_bytes, store_upload
from kiosk.catalog.attachment_tables import CSV, XLSX, read_table
from kiosk.catalog.elements import PUBLIC_STATUSES
from kiosk.catalog.models import Attachment, Item
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.regions.services import lineage
from kiosk.signage import rendering
from kiosk.sync.changes import note_change, scope_of
from kiosk.sync.schema import MAX_ATTACHMENTS

VTT = "text/vtt"
KINDS = {
    "image/jpeg": "image",
    "image/png": "image",
    "image/gif": "image",
    "image/webp": "image",
    "application/pdf": "pdf",
    "video/mp4": "video",
    "video/webm": "video",
    XLSX: "table",
    CSV: "table",
    VTT: "captions",
}
TEXT_TYPES = {"csv": CSV, "vtt": VTT}
KIND_LABELS = {"image": "图片", "pdf": "PDF", "video": "视频", "table": "表格", "captions": "字幕"}
REFUSAL = (
    "只能附加图片（JPEG、PNG、GIF、WebP）、PDF、视频（MP4、WebM）、表格（.xlsx、.csv）"
    "或字幕（.vtt），这个文件不是这几种。"
)
MAX_PER_ITEM = MAX_ATTACHMENTS


def check_file(store: BlobStore, attachment: Attachment) -> None:
    """Read what the file is, as the touch page will: refuse it if that fails. A PDF's
    pages are rendered here (pdftoppm) and kept, so the node shows them as images."""
    path, label = store.path(attachment.sha256), attachment.name
    if attachment.kind == "image":
        rendering.check_image(path, label)
    elif attachment.kind == "pdf":
        attachment.pages = [put_bytes(store, page) for page in rendering.pdf_pages(path, label)]
    elif attachment.kind == "video":
        rendering.video_frame(path, label)
    elif attachment.kind == "table":
        read_table(path, attachment.mime, label)
    else:
        with path.open("rb") as captions:
            start = captions.read(16)
        if not start.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
            raise InputError(f"{label}：不是能读取的 .vtt 字幕文件，请另存为 .vtt 格式。", "file")


def _changed(session: Session, item: Item) -> None:
    """The item goes out again in the change feed, with its attachments as they are now."""
    item.changed_at = utcnow()
    note_change(session, item.code, scope_of(item), scope_of(item))


def add_attachment(
    session: Session,
    store: BlobStore,
    item: Item,
    stream: BinaryIO,
    filename: str,
    max_bytes: int,
    actor: str,
) -> Attachment:
    if len(item.attachments) >= MAX_PER_ITEM:
        raise InputError(f"一个事项最多 {MAX_PER_ITEM} 个附件，请先删除不用的。", "file")
    label = label_of(filename)
    mime, stored = store_upload(store, stream, label, max_bytes, KINDS, REFUSAL, TEXT_TYPES)
    attachment = Attachment(
        sha256=stored.sha256,
        name=label,
        mime=mime,
        size=stored.size,
        kind=KINDS[mime],
        position=max((a.position for a in item.attachments), default=0) + 1,
        added_by=actor,
        pages=[],
        complete=True,
    )
    try:
        check_file(store, attachment)
    except InputError:
        forget_unused(session, store, [stored.sha256, *attachment.pages])
        raise
    item.attachments.append(attachment)
    _changed(session, item)
    session.flush()
    record(
        session,
        actor,
        "item.attachment.add",
        f"item:{item.code}",
        None,
        {"name": label, "mime": mime, "size": stored.size, "sha256": stored.sha256},
    )
    return attachment


def remove_attachment(
    session: Session, store: BlobStore, item: Item, attachment_id: int, actor: str
) -> Attachment:
    attachment = next((a for a in item.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise InputError("这个附件已经不在了（可能已被别人删除）。")
    item.attachments.remove(attachment)
    _changed(session, item)
    session.flush()
    record(
        session,
        actor,
        "item.attachment.remove",
        f"item:{item.code}",
        {"name": attachment.name, "sha256": attachment.sha256},
        None,
    )
    forget_unused(session, store, [attachment.sha256, *attachment.pages])
    return attachment


def replace_attachments(item: Item, sent: list[dict[str, Any]], actor: str) -> None:
    """Hall: hold exactly the attachments the centre sends; a file already here and
    complete stays complete, a new one waits for its download."""
    held = {a.sha256: a for a in item.attachments}
    kept = []
    for position, document in enumerate(sent, start=1):
        attachment = held.pop(document["sha256"], None)
        if attachment is None:
            attachment = Attachment(
                sha256=document["sha256"], complete=False, pages=[], added_by=actor
            )
        attachment.name, attachment.mime = document["name"], document["mime"]
        attachment.size, attachment.kind = document["size"], document["kind"]
        attachment.position = position
        kept.append(attachment)
    item.attachments = kept


def shown(item: Item) -> list[Attachment]:
    """What the touch page shows: the complete attachments, captions apart (they go with
    the video of the same base name)."""
    return [a for a in item.attachments if a.complete and a.kind != "captions"]


def captions_for(item: Item, video: Attachment) -> Attachment | None:
    stem = PurePath(video.name).stem
    return next(
        (
            a
            for a in item.attachments
            if a.kind == "captions" and a.complete and PurePath(a.name).stem == stem
        ),
        None,
    )


def attachment_needs(session: Session, region: str | None) -> Iterator[Need]:
    """Blob source: every attachment's file and page images this node holds (region None),
    or the files of the public items a hall of `region` is sent (no page images: the
    hall renders its own)."""
    query = select(Attachment, Item.name).join(Item, Item.id == Attachment.item_id)
    if region is not None:
        query = query.where(Item.status.in_(PUBLIC_STATUSES), Item.region.in_(lineage(region)))
    for attachment, item_name in session.execute(query):
        label = f"事项附件：{item_name} · {attachment.name}"
        yield Need(attachment.sha256, attachment.size, label, priority=5)
        if region is None:
            for page in attachment.pages:
                yield Need(page, 0, label, priority=5)


register_source("catalog-attachments", attachment_needs)
