"""Search while typing: results beside (landscape) or above (portrait) the keys, quick words
replace the query, the script switch keeps it, the clear button is always there."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.screens.conftest import save_screenshot
from tests.screens.test_browser import check_touch_layout, in_viewport, tap


def test_results_show_while_typing_with_three_in_view(page, live_demo):
    page.goto(live_demo + "/search")
    page.evaluate("window.samePage = true")
    for letter in "dbsq":
        tap(page, page.locator(f'#keyboard [data-key="{letter}"]'))
    rows = page.locator("#results a.item-row")
    expect(rows.first).to_contain_text("低保申请")
    assert rows.count() >= 3
    for index in range(3):
        assert in_viewport(page, rows.nth(index)), f"result {index + 1} is off the screen"
    assert in_viewport(page, page.locator('#keyboard [data-key="q"]'))
    assert in_viewport(page, page.locator("#clear-query"))
    results, keys = (
        page.locator("#results").bounding_box(),
        page.locator("#keyboard").bounding_box(),
    )
    if page.viewport_size["width"] > page.viewport_size["height"]:
        assert results["x"] >= keys["x"] + keys["width"], "landscape: results beside the keys"
    else:
        assert results["y"] + results["height"] <= keys["y"], "portrait: results above the keys"
    assert page.evaluate("window.samePage") is True, "no page load while typing"
    assert "q=dbsq" in page.url
    check_touch_layout(page)
    save_screenshot(page, "search-typing")


def test_quick_word_replaces_the_query(page, live_demo):
    page.goto(live_demo + "/search")
    tap(page, page.locator('#keyboard [data-word="低保"]'))
    expect(page.locator("#q")).to_have_value("低保")
    tap(page, page.locator('#keyboard [data-word="救助"]'))
    expect(page.locator("#q")).to_have_value("救助")
    expect(page.locator("#results .results-title")).to_contain_text("找到")


def test_traditional_keeps_the_query_and_results(page, live_demo):
    page.goto(live_demo + "/search")
    for letter in "dbsq":
        tap(page, page.locator(f'#keyboard [data-key="{letter}"]'))
    expect(page.locator("#results mark").first).to_have_text("低保申请")
    tap(page, page.get_by_role("link", name="繁體"))
    expect(page.locator("#q")).to_have_value("dbsq")
    expect(page.locator("#results mark").first).to_have_text("低保申請")
    tap(page, page.get_by_role("link", name="簡體"))
    expect(page.locator("#q")).to_have_value("dbsq")
    expect(page.locator("#results mark").first).to_have_text("低保申请")


def test_clear_button_empties_the_query_and_results(page, live_demo):
    page.goto(live_demo + "/search?q=dbsq")
    expect(page.locator("#results a.item-row").first).to_be_visible()
    tap(page, page.locator("#clear-query"))
    expect(page.locator("#q")).to_have_value("")
    expect(page.locator("#results a.item-row")).to_have_count(0)
    assert re.search(r"/search$", page.url)
