"""The demo's signage (演示数据): a poster and a two-page PDF drawn from the demo notices
and items, a published playlist that is both the default and the touch screens' attract
loop, and a screen `demo` already paired, so /player/demo plays at once."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.blobs.store import BlobStore
from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items
from kiosk.notices.models import Notice
from kiosk.signage.entries import add_entry
from kiosk.signage.media import save_upload
from kiosk.signage.models import Playlist
from kiosk.signage.playlists import create_playlist, set_playlist_role
from kiosk.signage.publishing import submit_for_review
from kiosk.signage.screens import claim_screen, get_screen, register_screen

PLAYLIST = "演示轮播（演示数据）"
SCREEN = "demo"
ACTOR = "demo"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # fonts-noto-cjk


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default()


def _page(title: str, body: str, size: tuple[int, int] = (1920, 1080)) -> Image.Image:
    page = Image.new("RGB", size, "#0b1f3a")
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, size[0], 160], fill="#b71c1c")
    draw.text((60, 40), title[:30], font=_font(64), fill="white")
    lines = textwrap.wrap(body, 34)[:12]
    for number, line in enumerate(lines):
        draw.text((60, 220 + number * 64), line, font=_font(44), fill="white")
    draw.text((60, size[1] - 80), "演示数据", font=_font(36), fill="#f9a825")
    return page


def _png(image: Image.Image) -> io.BytesIO:
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    return out


def _pdf(pages: list[Image.Image]) -> io.BytesIO:
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:])
    out.seek(0)
    return out


def load_demo_signage(session: Session, store: BlobStore) -> str:
    """Once: the demo's media, playlist and screen; a second run adds nothing."""
    if session.scalar(select(Playlist.id).where(Playlist.name == PLAYLIST)) is not None:
        return "demo signage already loaded"
    notices = list(session.scalars(select(Notice).order_by(Notice.published_at.desc()).limit(2)))
    items = list(session.scalars(visible_items().order_by(Item.code).limit(2)))
    limit = 50 << 20
    poster = save_upload(
        session,
        store,
        _png(_page(notices[0].title, notices[0].body)),
        "演示海报-通知.png",
        limit,
        ACTOR,
    )
    guide = save_upload(
        session,
        store,
        _pdf([_page(item.name, item.content) for item in items]),
        "演示办事指南.pdf",
        limit,
        ACTOR,
    )
    playlist = create_playlist(session, PLAYLIST, ACTOR)
    entries: list[dict[str, Any]] = [
        *({"kind": "notice", "notice_id": notice.id} for notice in notices),
        *({"kind": "item", "item_code": item.code} for item in items[:1]),
        {"kind": "image", "media_id": poster.id},
        {"kind": "pdf", "media_id": guide.id, "page_to": 2, "duration": 8},
    ]
    for values in entries:
        add_entry(session, playlist, values, [], ACTOR)
    set_playlist_role(session, playlist, "default", True, ACTOR)
    set_playlist_role(session, playlist, "attract", True, ACTOR)
    submit_for_review(session, playlist, 0, "http://127.0.0.1:8080", ACTOR)
    if get_screen(session, SCREEN) is None:
        screen = register_screen(session, SCREEN)  # the first browser to open it gets it
        claim_screen(session, screen.pairing_code or "", "演示屏", None, ACTOR)
    return f"demo signage: playlist {PLAYLIST} with {len(entries)} entries, screen /player/demo"
