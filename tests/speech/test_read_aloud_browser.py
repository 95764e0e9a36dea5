import pytest
from sqlalchemy import select

from kiosk.catalog.models import Item
from kiosk.notices.services import current_notices


def page_path(app, kind: str) -> str:
    with app.extensions["kiosk_db"].session() as session:
        if kind == "item":
            code = session.scalars(select(Item.code).where(Item.status == "已公开")).first()
            return f"/items/{code}"
        return f"/notices/{current_notices(session)[0].id}"


@pytest.mark.parametrize("kind", ["item", "notice"])
def test_read_aloud_button_loads_audio_and_pauses(page, live_demo, demo_app, kind):
    page.goto(live_demo + page_path(demo_app, kind))
    button = page.get_by_role("button", name="朗读")
    box = button.bounding_box()
    assert box["height"] >= 64 and box["width"] >= 64
    button.click()
    # The first sentence is synthesised on demand, then the audio element loads it.
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-read-aloud] audio');"
        " return a.readyState >= 2 && a.duration > 0; }",
        timeout=30000,
    )
    assert (
        page.locator("[data-read-aloud] audio")
        .evaluate("a => a.currentSrc")
        .endswith((".ogg", ".wav"))
    )
    assert page.locator(".read-aloud-play").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="暂停").click()
    assert page.locator("[data-read-aloud] audio").evaluate("a => a.paused") is True
    assert page.locator(".read-aloud-play").get_attribute("aria-pressed") == "false"
    page.get_by_role("button", name="慢速").click()
    assert page.locator(".read-aloud-slow").get_attribute("aria-pressed") == "true"
    # Slow speech goes on from there; leaving the page (pagehide) stops it, drops the audio.
    page.get_by_role("button", name="继续").click()
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-read-aloud] audio');"
        " return a.readyState >= 2 && !a.paused; }",
        timeout=30000,
    )
    page.evaluate("window.dispatchEvent(new Event('pagehide'))")
    audio = page.locator("[data-read-aloud] audio")
    assert audio.evaluate("a => a.paused && !a.getAttribute('src')") is True
    assert page.locator(".read-aloud-label").inner_text() == "朗读"
