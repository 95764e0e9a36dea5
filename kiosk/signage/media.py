"""Uploads for playlists: type checked by content, size-limited, stored by generated names.

Files live under the instance folder (never the web root) as <random hex>.<type's
extension>; the name a person gave is kept only as a label, so path tricks in it do nothing.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO

import filetype
from sqlalchemy.orm import Session

from kiosk.audit.services import record, record_removal
from kiosk.errors import InputError
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
CHUNK = 1024 * 1024


def media_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "signage-media"
    path.mkdir(parents=True, exist_ok=True)
    return path


def label_of(filename: str) -> str:
    """The last path segment of a client's file name, for display only."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    return name[:255] or "upload"


def save_upload(
    session: Session, stream: BinaryIO, filename: str, folder: Path, max_bytes: int, actor: str
) -> Media:
    """Copy `stream` into `folder` if its content is an allowed type within `max_bytes`."""
    label = label_of(filename)
    head = stream.read(8192)
    if not head:
        raise InputError(f"{label}：文件是空的。", "file")
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime not in ALLOWED_TYPES:
        raise InputError(
            f"{label}：只能上传图片（JPEG、PNG、GIF、WebP）、视频（MP4、WebM）或 PDF，"
            "这个文件不是这几种。",
            "file",
        )
    stored = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime]}"
    target = folder / stored
    partial = folder / (stored + ".part")
    size = 0
    try:
        with open(partial, "xb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(
                        f"{label}：文件超过了 {max_bytes // (1024 * 1024)} MB。", "file"
                    )
                out.write(chunk)
                chunk = stream.read(CHUNK)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    media = Media(stored_name=stored, original_name=label, mime=mime, size=size, uploaded_by=actor)
    session.add(media)
    session.flush()
    record(
        session,
        actor,
        "signage.media.upload",
        f"media:{media.id}",
        None,
        {"name": label, "mime": mime, "size": size},
    )
    return media


def media_path(folder: Path, media: Media) -> Path:
    return folder / media.stored_name


def remove_media(session: Session, media: Media, folder: Path, actor: str) -> None:
    record_removal(
        session,
        actor,
        "signage.media.remove",
        f"media:{media.id}",
        {"name": media.original_name},
        media,
    )
    session.flush()
    media_path(folder, media).unlink(missing_ok=True)
