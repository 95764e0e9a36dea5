"""The public presentation in a real browser: axe-core WCAG 2.2 AA clean at a phone's and a
desktop's size, no sideways scrolling at 320 px, sharing by copying, screenshots kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kiosk.notices.models import Notice
from kiosk.serve import serve_in_thread
from tests.screens.conftest import axe_violations, code_of, describe, save_screenshot

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
PAGES = {
    "home": "/",
    "browse": "/browse?domain=社会救助",
    "catalog": "/catalog?domain=社会救助",
    "item": "/items/{item}",
    "search": "/search?q=dbsq",
    "notice": "/notices/{notice}",
    "catalog-domains": "/catalog",
    "replies": "/replies/",
    "apply-status": "/apply/status/",
}


@pytest.fixture
def live_centre(public_app):
    with public_app.extensions["kiosk_db"].session() as session:
        notice = session.scalar(select(func.min(Notice.id)))
    keys = {"item": code_of(public_app, "低保申请"), "notice": notice}
    with serve_in_thread(public_app) as url:
        yield lambda name: url + PAGES[name].format(**keys)


def open_at(browser, size: dict[str, int]):
    phone = size["width"] < 800
    return browser.new_context(viewport=size, has_touch=phone, is_mobile=phone, locale="zh-CN")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_public_pages_have_no_axe_violations(browser, live_centre, size, name):
    context = open_at(browser, size)
    page = context.new_page()
    page.goto(live_centre(name))
    violations = axe_violations(page)
    if name in ("home", "item", "catalog", "search", "notice"):
        save_screenshot(page, f"public-{name}")
    context.close()
    assert violations == [], describe(violations)


@pytest.mark.parametrize("name", PAGES)
def test_nothing_scrolls_sideways_at_320_px(browser, live_centre, name):
    context = open_at(browser, {"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_centre(name))
    page.get_by_role("button", name="大字").click()
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert wide <= 320, name


def test_the_address_is_copied_with_a_chinese_confirmation(browser, live_centre):
    context = open_at(browser, PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_centre("item"))
    page.get_by_role("button", name="复制本页地址").tap()
    page.locator("[data-share-said]").filter(has_text="已复制本页地址").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == live_centre("item")
    context.close()


def test_traditional_and_large_text_on_the_phone(browser, live_centre):
    context = open_at(browser, PHONE)
    page = context.new_page()
    page.goto(live_centre("item"))
    page.get_by_role("link", name="繁體").tap()
    page.wait_for_url("**/items/*")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    page.get_by_role("button", name="大字").tap()
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "22px"
    assert page.locator("h1", has_text="低保申請").is_visible()
    violations = axe_violations(page)
    context.close()
    assert violations == [], describe(violations)


@pytest.mark.parametrize("name", PAGES)
def test_no_link_leads_to_an_admin_or_api_page(browser, live_centre, name):
    context = open_at(browser, PHONE)
    page = context.new_page()
    page.goto(live_centre(name))
    paths = page.evaluate(
        "() => [...document.querySelectorAll('a[href], form[action]')]"
        ".map(e => new URL(e.href || e.action, location.href).pathname)"
    )
    context.close()
    assert paths and not [p for p in paths if p.startswith(("/admin", "/api"))], paths


def test_the_catalog_prints_as_its_table_only(browser, live_centre):
    context = open_at(browser, DESKTOP)
    page = context.new_page()
    page.goto(live_centre("catalog"))
    page.emulate_media(media="print")
    assert page.locator(".catalog-table").is_visible()
    for hidden in (".bar", ".catalog-filter", ".catalog-tools", ".path"):
        assert not page.locator(hidden).is_visible(), hidden
    context.close()


def test_search_on_the_phone_uses_its_own_keyboard(browser, live_centre):
    context = open_at(browser, PHONE)
    page = context.new_page()
    page.goto(live_centre("home").rstrip("/") + "/search")
    assert page.locator("#keyboard, #pad-box, #keypad").count() == 0
    query = page.locator("#q")
    assert query.get_attribute("inputmode") is None
    query.tap()
    page.keyboard.type("dbsq")
    page.locator("#results .item-name", has_text="低保申请").first.wait_for()
    assert "q=dbsq" in page.url
    context.close()
