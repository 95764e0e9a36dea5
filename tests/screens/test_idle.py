"""Idle reset never interrupts: speech and typing count as someone there; the reset leaves
no history behind; the warning is spoken and its button is large."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiosk.catalog.services import upsert_item
from kiosk.serve import serve_in_thread
from tests.screens.test_browser import tap
from tests.speech.conftest import seed_notices

IDLE_SECONDS = 10
WARNING_SECONDS = 3


@pytest.fixture
def long_item_hall(app_factory):
    """A hall resetting after 10 s idle, holding an item whose read-aloud lasts ~90 s."""
    app = app_factory(
        demo=True,
        name="long-item",
        KIOSK_IDLE_SECONDS=IDLE_SECONDS,
        KIOSK_IDLE_WARNING_SECONDS=WARNING_SECONDS,
    )
    with app.extensions["kiosk_db"].session() as session:
        item, _ = upsert_item(
            session,
            {
                "disclosure_type": "服务",
                "domain": "社会救助",
                "category1": "临时救助",
                "name": "基层政务公开试点情况",
                "content": "\n".join(seed_notices()[:2])[:330],  # about 92 s aloud
                "publisher": "县政务公开办",
                "disclosure_form": "主动公开",
                "status": "已公开",
                "level": "县级",
                "region": "示范县",
            },
            "test",
        )
        code = item.code
        session.commit()
    with serve_in_thread(app) as url:
        yield url, code


def test_read_aloud_of_a_long_text_is_never_cut_by_the_idle_reset(page, long_item_hall):
    url, code = long_item_hall
    page.goto(f"{url}/items/{code}")
    tap(page, page.get_by_role("button", name="朗读"))
    playing = (
        "() => { const a = document.querySelector('[data-read-aloud] audio');"
        " return a.readyState >= 2 && !a.paused && !a.ended; }"
    )
    page.wait_for_function(playing, timeout=60000)
    # Nobody touches the screen for longer than idle + warning; the speech goes on.
    page.wait_for_timeout((IDLE_SECONDS + WARNING_SECONDS + 3) * 1000)
    assert page.url == f"{url}/items/{code}"
    assert page.locator("#idle-warning").is_hidden()
    assert page.evaluate(playing.removeprefix("() => ").join(["(() => ", ")()"])) is True
    # Stopped, the page is idle again: warned, then home.
    tap(page, page.get_by_role("button", name="暂停"))
    expect(page.get_by_role("button", name="继续")).to_be_visible()
    with page.expect_request("**/audio/phrase/idle*", timeout=(IDLE_SECONDS + 5) * 1000):
        pass  # the warning is spoken as well as shown
    expect(page.locator("#idle-warning")).to_be_visible()
    box = page.locator("#idle-continue").bounding_box()
    assert box["height"] >= 96 and box["width"] >= 96
    page.wait_for_url(f"{url}/", timeout=(WARNING_SECONDS + 5) * 1000)


@pytest.fixture
def impatient_hall(app_factory):
    app = app_factory(
        demo=True, name="impatient", KIOSK_IDLE_SECONDS=2, KIOSK_IDLE_WARNING_SECONDS=1
    )
    with serve_in_thread(app) as url:
        yield url


def test_after_the_reset_back_leads_into_nothing_of_the_previous_resident(page, impatient_hall):
    page.goto(impatient_hall + "/")
    before = page.evaluate("history.length")
    tap(page, page.locator("a.search-bar[href='/search']"))
    page.wait_for_url("**/search")
    for letter in "dbsq":
        tap(page, page.locator(f'#keyboard [data-key="{letter}"]'))
    expect(page.locator("#results mark").first).to_have_text("低保申请")
    tap(page, page.locator("#results a.item-row").first)
    page.wait_for_url("**/items/*")
    page.wait_for_url(impatient_hall + "/", timeout=10000)
    assert page.evaluate("history.length") == before
    page.go_back()
    assert "/search" not in page.url and "/items/" not in page.url


def test_typing_counts_as_activity(page, impatient_hall):
    page.goto(impatient_hall + "/search")
    for _ in range(6):  # 3 s of typing, longer than the 2 s idle time
        tap(page, page.locator('#keyboard [data-key="a"]'))
        page.wait_for_timeout(500)
        assert page.locator("#idle-warning").is_hidden()
