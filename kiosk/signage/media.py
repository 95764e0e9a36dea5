"""Uploads for playlists: type checked by content, size-limited, kept in the blob store.

Files are stored by their SHA-256 (kiosk/blobs), never under the name a person gave: that
name is kept as the label people read, so path tricks in it do nothing. On upload the node
makes a thumbnail, and renders a PDF's pages as images (screens show those, never the PDF).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record, record_removal
from kiosk.blobs.services import Need, forget_unused, register_source
from kiosk.blobs.store import BlobStore
from kiosk.blobs.uploads import label_of, put_bytes, store_upload
from kiosk.errors import InputError
from kiosk.signage import rendering
from kiosk.signage.models import Media

# What a screen can show, by detected content type (never by the file name).
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/webm": "webm",
    "application/pdf": "pdf",
}


def save_upload(
    session: Session, store: BlobStore, stream: BinaryIO, filename: str, max_bytes: int, actor: str
) -> Media:
    """Keep `stream` if its content is an allowed type within `max_bytes`, with its pictures."""
    label = label_of(filename)
    mime, stored = store_upload(
        store,
        stream,
        label,
        max_bytes,
        ALLOWED_TYPES,
        "只能上传图片（JPEG、PNG、GIF、WebP）、视频（MP4、WebM）或 PDF，这个文件不是这几种。",
    )
    media = Media(
        sha256=stored.sha256, original_name=label, mime=mime, size=stored.size, uploaded_by=actor
    )
    try:
        derive(store, media, label)
    except InputError:
        forget_unused(session, store, [stored.sha256])
        raise
    session.add(media)
    session.flush()
    record(
        session,
        actor,
        "signage.media.upload",
        f"media:{media.id}",
        None,
        {"name": label, "mime": mime, "size": stored.size, "sha256": stored.sha256},
    )
    return media


def save_uploads(
    session: Session,
    store: BlobStore,
    files: Iterable[tuple[BinaryIO, str]],
    max_bytes: int,
    actor: str,
) -> tuple[list[Media], list[str]]:
    """Several files at once (a drop of many): those kept, and why each other one was not.
    A refused file leaves nothing behind, so the others are kept all the same."""
    saved, refused = [], []
    for stream, filename in files:
        try:
            saved.append(save_upload(session, store, stream, filename, max_bytes, actor))
        except InputError as error:
            refused.append(str(error))
    return saved, refused


def derive(store: BlobStore, media: Media, label: str) -> None:
    """The thumbnail (and a PDF's page images) made from the stored file."""
    path = store.path(media.sha256)
    if media.mime.startswith("image/"):
        rendering.check_image(path, label)
        picture = rendering.thumbnail(path)
    elif media.mime == "application/pdf":
        pages = rendering.pdf_pages(path, label)
        media.pages = [put_bytes(store, page) for page in pages]
        picture = rendering.thumbnail(io.BytesIO(pages[0]))
    else:
        picture = rendering.video_frame(path, label)
    media.thumbnail = put_bytes(store, picture)


def files_of(media: Media) -> list[str]:
    """Every stored file of one upload: itself, its thumbnail, its page images."""
    return [media.sha256, *([media.thumbnail] if media.thumbnail else []), *media.pages]


def remove_media(session: Session, store: BlobStore, media: Media, actor: str) -> None:
    files = files_of(media)
    record_removal(
        session,
        actor,
        "signage.media.remove",
        f"media:{media.id}",
        {"name": media.original_name, "sha256": media.sha256},
        media,
    )
    session.flush()
    forget_unused(session, store, files)


def media_needs(session: Session, region: str | None) -> Iterator[Need]:
    """Blob source: the hall's uploads and what was made from them."""
    if region is not None:  # the centre sends halls only county content (kiosk.signage.county)
        return
    for media in session.scalars(select(Media)):
        for sha256 in files_of(media):
            yield Need(sha256, 0, f"信息发布素材：{media.original_name}", priority=1)


def media_file(store: BlobStore, media: Media) -> Path:
    return store.path(media.sha256)


register_source("signage-media", media_needs)
