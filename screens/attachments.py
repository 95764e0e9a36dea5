"""Attachments on the touch item page: images to zoom, a PDF as its page images, a table
paged with large text (each row can be read aloud), a video with its captions; and the
files themselves, served only as the attachments of an item this hall shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, send_file, url_for
from werkzeug.wrappers import Response

from kiosk.blobs.services import store_of
from kiosk.blobs.store import SHA256, BlobStore
from kiosk.catalog.attachment_tables import read_table, row_text
from kiosk.catalog.attachments import captions_for, shown
from kiosk.catalog.models import Attachment, Item
from kiosk.catalog.services import get_visible_item
from kiosk.errors import InputError
from kiosk.web import db_session

blueprint = Blueprint("attachment_files", __name__, url_prefix="/items")
ROWS_PER_PAGE = 6
DAY = 86400


@dataclass
class Shown:
    attachment: Attachment
    url: str
    pages: list[str] = field(default_factory=list)  # a PDF's page images
    captions: str | None = None  # a video's .vtt
    header: list[str] = field(default_factory=list)
    row_pages: list[list[tuple[int, list[str]]]] = field(default_factory=list)
    cut: bool = False  # a table longer than what is shown
    unreadable: str = ""


def _file_url(item: Item, sha256: str) -> str:
    return url_for("attachment_files.file", code=item.code, sha256=sha256)


def _table(store: BlobStore, shown_one: Shown) -> None:
    attachment = shown_one.attachment
    try:
        rows, shown_one.cut = read_table(
            store.path(attachment.sha256), attachment.mime, attachment.name
        )
    except InputError as error:
        shown_one.unreadable = str(error)
        return
    shown_one.header, body = rows[0], list(enumerate(rows[1:], start=1))
    shown_one.row_pages = [
        body[start : start + ROWS_PER_PAGE] for start in range(0, len(body), ROWS_PER_PAGE)
    ]


def attachments_of(item: Item) -> list[Shown]:
    """What the item page shows, in the staff's order; only files complete on this node."""
    store = store_of(current_app)
    views = []
    for attachment in shown(item):
        view = Shown(attachment, _file_url(item, attachment.sha256))
        if attachment.kind == "pdf":
            view.pages = [_file_url(item, page) for page in attachment.pages]
        elif attachment.kind == "video":
            captions = captions_for(item, attachment)
            view.captions = _file_url(item, captions.sha256) if captions else None
        elif attachment.kind == "table":
            _table(store, view)
        views.append(view)
    return views


def _type_of(item: Item, sha256: str) -> str | None:
    for attachment in item.attachments:
        if not attachment.complete:
            continue
        if attachment.sha256 == sha256:
            return attachment.mime
        if sha256 in attachment.pages:
            return "image/png"
    return None


@blueprint.get("/<code>/files/<sha256>")
def file(code: str, sha256: str) -> Response:
    item = get_visible_item(db_session(), code, current_app.config["KIOSK_REGION"])
    mime = _type_of(item, sha256) if item is not None and SHA256.fullmatch(sha256) else None
    if mime is None:
        abort(404)
    # Named by its content: never changes. Range for videos.
    return send_file(
        store_of(current_app).path(sha256),
        mimetype=mime,
        conditional=True,
        etag=sha256,
        max_age=DAY,
    )


def row_text_of(key: str, region: str) -> str | None:
    """What 朗读这一行 says: key `<attachment id>-<row>`, the table's header naming each value."""
    attachment_id, _, row_number = key.partition("-")
    if not (attachment_id.isdecimal() and row_number.isdecimal()):
        return None
    attachment = db_session().get(Attachment, int(attachment_id))
    if attachment is None or attachment.kind != "table" or not attachment.complete:
        return None
    item = db_session().get(Item, attachment.item_id)
    if item is None or get_visible_item(db_session(), item.code, region) is None:
        return None
    store = store_of(current_app)
    try:
        rows, _cut = read_table(store.path(attachment.sha256), attachment.mime, attachment.name)
    except InputError:
        return None
    index = int(row_number)
    if not 0 < index < len(rows):
        return None
    return row_text(rows[0], rows[index])
