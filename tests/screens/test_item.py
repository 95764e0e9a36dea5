"""The item page in the browser: the summary, QR and read-aloud in the first screen; rating
and question one scroll away; read-aloud controls grow with 大字."""

from __future__ import annotations

from tests.screens.conftest import save_screenshot
from tests.screens.test_browser import check_touch_layout, in_viewport, tap


def test_summary_qr_and_read_aloud_fill_the_first_screen(page, live_demo, demo_code):
    page.goto(f"{live_demo}/items/{demo_code('低保申请')}")
    facts = page.locator(".summary-facts dt")
    assert facts.all_inner_texts() == ["这是什么事", "到哪里办", "找谁问", "要多久", "要带什么"]
    for shown in (".summary-facts", "img.qr", ".read-aloud-play"):
        assert in_viewport(page, page.locator(shown)), f"{shown} is below the first screen"
    height = page.viewport_size["height"]
    assert page.locator("#full-title").bounding_box()["y"] > page.locator(".qr").bounding_box()["y"]
    for control in ("#rate-title", "summary.big-button"):
        assert page.locator(control).bounding_box()["y"] < 2 * height, "more than a scroll away"
    check_touch_layout(page)
    save_screenshot(page, "item-summary")


def test_read_aloud_controls_grow_with_large_text(page, live_demo, demo_code):
    page.goto(f"{live_demo}/items/{demo_code('低保申请')}")
    before = page.locator(".read-aloud-play").bounding_box()
    tap(page, page.get_by_role("button", name="大字"))
    after = page.locator(".read-aloud-play").bounding_box()
    assert after["height"] > before["height"] and after["width"] > before["width"]
    assert in_viewport(page, page.locator(".read-aloud-play")), "still in the first screen"
    save_screenshot(page, "item-large-text")
