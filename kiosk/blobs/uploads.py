"""Taking a file a person uploads into the blob store: its type told by its content (never
by its name), its size limit checked while it is copied, its name kept only as a label."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import BinaryIO

import filetype

from kiosk.blobs.store import BlobStore, Stored, TooLarge
from kiosk.errors import InputError

HEAD = 8192


def label_of(filename: str) -> str:
    """The last path segment of a client's file name, for display only."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    return name[:255] or "upload"


def size_text(size: int) -> str:
    """1536 -> "1.5 KB"; what people read beside a file."""
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.1f} KB" if size else "0 KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _text_type(head: bytes, label: str, text_types: Mapping[str, str]) -> str | None:
    """Plain text has no signature: its type is the name's ending, if the start is text."""
    suffix = label.rsplit(".", 1)[-1].lower() if "." in label else ""
    if suffix not in text_types or b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as cut:
        if cut.start < len(head) - 3:  # not a character cut at the end of the head
            try:
                head.decode("gb18030")
            except UnicodeDecodeError:
                return None
    return text_types[suffix]


def store_upload(
    store: BlobStore,
    stream: BinaryIO,
    label: str,
    max_bytes: int,
    allowed: Mapping[str, str],
    refusal: str,
    text_types: Mapping[str, str] | None = None,
) -> tuple[str, Stored]:
    """(mime, stored) of `stream` when its content is one of `allowed` (or, for text with no
    signature, its name ends in one of `text_types`) within `max_bytes`; else InputError
    with `refusal`. A refused file leaves nothing behind."""
    head = stream.read(HEAD)
    if not head:
        raise InputError(f"{label}：文件是空的。", "file")
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else _text_type(head, label, text_types or {})
    if mime is None or mime not in {*allowed, *(text_types or {}).values()}:
        raise InputError(f"{label}：{refusal}", "file")
    stream.seek(0)  # uploads are spooled files: the type check read only their start
    try:
        stored = store.put(stream, max_bytes, f"{label}：文件")
    except TooLarge as error:
        raise InputError(str(error), "file") from None
    return mime, stored


def put_bytes(store: BlobStore, data: bytes) -> str:
    """Keep a file the node made itself (a thumbnail, a PDF page); its SHA-256."""
    return store.put(io.BytesIO(data), len(data) + 1).sha256
