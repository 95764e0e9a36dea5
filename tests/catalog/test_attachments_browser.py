"""Attachments end to end in Chromium, with a real centre and a real hall: a county clerk
adds a picture, a PDF, a table and a captioned video to an item at the catalog desk; after
a sync the hall's touch item page shows them at both screen sizes (picture zoomed by the
buttons, a double tap and two fingers, PDF pages as images turned by buttons, the table paged with a
row read aloud, the video with its captions), and axe-core finds nothing to fix."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kiosk.serve import serve_in_thread
from kiosk.sync.hall.rounds import run_sync
from tests.catalog.attachment_files import TABLE_ROWS, write_all
from tests.catalog.test_desk_browser import sign_in, staff
from tests.conftest import LANDSCAPE, PORTRAIT
from tests.screens.conftest import axe_violations, describe
from tests.sync.conftest import VILLAGE, Central

SHOTS = os.environ.get("KIOSK_TEST_SHOTS", "")


@pytest.fixture
def central(app_factory) -> Iterator[Central]:
    app = app_factory(name="central", KIOSK_ROLE="central")
    with serve_in_thread(app) as url:
        yield Central(app, url)


def loaded(page: Page, selector: str) -> bool:
    return bool(page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0"))


def width_of(page: Page, selector: str) -> float:
    return float(page.eval_on_selector(selector, "img => img.getBoundingClientRect().width"))


def pinch(page: Page, selector: str) -> None:
    """Two fingers moving apart on the element, as the touch screen sends them (CDP)."""
    box = page.locator(selector).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def fingers(apart: float) -> list[dict[str, float]]:
        return [{"x": x - apart, "y": y, "id": 1}, {"x": x + apart, "y": y, "id": 2}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(40)})
    for apart in (60, 90, 120, 160):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": fingers(apart)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def check_touch_page(page: Page, url: str, size: str) -> None:
    page.goto(url)
    attachments = page.locator("section.attachments")
    expect(attachments).to_contain_text("低保办理流程图.png")

    picture = "section.attachment-image img"
    page.locator(picture).scroll_into_view_if_needed()
    assert loaded(page, picture)
    image = page.locator("section.attachment-image")
    before = width_of(page, picture)
    image.get_by_role("button", name="放大").click()
    assert width_of(page, picture) > before
    image.get_by_role("button", name="还原").click()
    assert width_of(page, picture) == before
    page.locator(picture).dblclick()
    assert width_of(page, picture) > before
    image.get_by_role("button", name="还原").click()
    pinch(page, "section.attachment-image .zoom-frame")
    assert width_of(page, picture) > before * 2
    for button in image.get_by_role("button").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 64 and box["width"] >= 64
    image.get_by_role("button", name="还原").click()

    pdf = page.locator("section.attachment-pdf")
    pdf.scroll_into_view_if_needed()
    first = "section.attachment-pdf img[alt$='第 1 页']"
    assert loaded(page, first)
    expect(pdf.locator("[data-page-count]")).to_have_text("第 1 页，共 2 页")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"attachments-{size}-pdf.png"))
    pdf.get_by_role("button", name="下一页").click()
    expect(pdf.locator("[data-page-count]")).to_have_text("第 2 页，共 2 页")
    expect(pdf.locator("img[alt$='第 2 页']")).to_be_visible()
    expect(pdf.locator("img[alt$='第 1 页']")).to_be_hidden()
    assert page.locator("embed, object, iframe").count() == 0  # never a PDF viewer

    table = page.locator("section.attachment-table")
    table.scroll_into_view_if_needed()
    expect(table.locator("table:visible tbody tr")).to_have_count(6)
    expect(table.locator("table:visible")).to_contain_text(TABLE_ROWS[0][1])
    table.get_by_role("button", name="下一页").click()
    expect(table.locator("table:visible")).to_contain_text(TABLE_ROWS[9][1])
    with page.expect_response(lambda r: "/audio/row/" in r.url) as answer:
        table.get_by_role("button", name="朗读第 7 行").click()
    assert answer.value.ok
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"attachments-{size}-table.png"))

    video = page.locator("section.attachment-video video")
    expect(video.locator("track[kind=captions]")).to_have_count(1)
    page.locator("section.attachment-image").scroll_into_view_if_needed()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"attachments-{size}-image.png"))
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_attachments_added_at_the_desk_reach_the_halls_item_page(
    central, desk, browser, app_factory, tmp_path
):
    staff(central.app, "amy")
    central.put("A-1", region=VILLAGE, name="最低生活保障申请")
    files = write_all(tmp_path)

    sign_in(desk, central.url, "amy")
    desk.goto(f"{central.url}/admin/catalog/items/A-1")
    desk.set_input_files("input[name=file]", [str(path) for path in files.values()])
    desk.get_by_role("button", name="添加附件").click()
    expect(desk.locator(".flash-ok")).to_contain_text("已附加 低保办理流程图.png、低保申请表.pdf")
    expect(desk.locator("#attachments tbody tr")).to_have_count(5)
    expect(desk.locator("#attachments")).to_contain_text("2 页")
    if SHOTS:
        desk.screenshot(path=str(Path(SHOTS) / "attachments-desk.png"), full_page=True)

    hall = app_factory(
        name="hall", KIOSK_CENTRAL_URL=central.url, KIOSK_NODE_TOKEN=central.node(),
        KIOSK_REGION=VILLAGE,
    )  # fmt: skip
    result = run_sync(hall)
    assert result.attachment_files == 5, result.summary()
    with serve_in_thread(hall) as hall_url:
        for size, viewport in (("portrait", PORTRAIT), ("landscape", LANDSCAPE)):
            context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=True)
            try:
                check_touch_page(context.new_page(), f"{hall_url}/items/A-1", size)
            finally:
                context.close()
