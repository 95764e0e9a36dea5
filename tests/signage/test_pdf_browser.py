"""A PDF on a running player: its pages are images the node rendered, so a script in the
PDF (/OpenAction JavaScript) has nothing to run in; the screen names what it shows."""

from __future__ import annotations

import io
import time

from playwright.sync_api import expect

from kiosk.blobs.services import store_of
from kiosk.serve import serve_in_thread
from kiosk.signage.entries import add_entry
from kiosk.signage.media import save_upload
from kiosk.signage.models import Screen
from kiosk.signage.publishing import submit_for_review
from tests.signage.conftest import ITEM_BASE, claimed_screen, make_playlist
from tests.signage.samples import png_bytes, scripted_pdf

MARKER = "PDF-SCRIPT-RAN"


def _reported_title(session, slug: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        session.expire_all()
        screen = session.query(Screen).filter_by(slug=slug).one()
        if screen.current_title:
            return screen.current_title
        time.sleep(0.3)
    return ""


def _playing_alone(app, session, content: bytes, name: str, kind: str, slug: str):
    """An upload as the only entry of the default playlist, on a new screen `slug`."""
    media = save_upload(session, store_of(app), io.BytesIO(content), name, 10**6, "m")
    playlist = make_playlist(session, name, [], publish=False, default=True)
    add_entry(session, playlist, {"kind": kind, "media_id": media.id, "duration": 30}, [], "m")
    submit_for_review(session, playlist, 0, ITEM_BASE, "manager")
    claimed_screen(session, slug)
    session.commit()
    return media


def test_pdf_with_open_action_script_runs_nothing(signage_app, sdb, player_context):
    pdf = _playing_alone(signage_app, sdb, scripted_pdf(MARKER), "通知.pdf", "pdf", "pdf")
    page = player_context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_in_thread(signage_app) as url:
        page.goto(url + "/player/pdf")
        shown = page.locator(".slot.showing img.media")
        expect(shown).to_have_attribute("src", f"/player/media/{pdf.id}/page/1", timeout=10_000)
        assert page.evaluate("(img) => img.naturalWidth", shown.element_handle()) == 1920
        assert _reported_title(sdb, "pdf") == "通知.pdf"  # 正在播放 names the file
        assert page.locator("iframe, embed, object").count() == 0
        assert dialogs == [] and MARKER not in page.title()
        assert MARKER not in page.content()
        page.close()


def test_an_untitled_image_is_named_by_its_file(signage_app, sdb, player_context):
    _playing_alone(signage_app, sdb, png_bytes(), "海报.png", "image", "pic")
    page = player_context.new_page()
    with serve_in_thread(signage_app) as url:
        page.goto(url + "/player/pic")
        expect(page.locator(".slot.showing img.media")).to_be_visible(timeout=10_000)
        assert _reported_title(sdb, "pic") == "海报.png"
        page.close()
