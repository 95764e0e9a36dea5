"""axe-core finds no WCAG 2.2 AA violation on the resident pages, in either orientation."""

from __future__ import annotations

import pytest

from kiosk.signage.emergency import post_emergency
from tests.screens.conftest import axe_violations, describe
from tests.screens.test_handwriting import draw_with_touch

PAGES = {
    "home": lambda code: "/",
    "browse": lambda code: "/browse?domain=社会救助&c1=最低生活保障",
    "items": lambda code: "/browse?domain=社会救助&c1=最低生活保障&c2=办事指南",
    "item": lambda code: f"/items/{code}",
    "search": lambda code: "/search?q=dbsq",
    "search-empty": lambda code: "/search?q=火星",
    "notices": lambda code: "/notices",
    "traditional-home": lambda code: "/script/hant?next=/",
    "traditional-item": lambda code: f"/script/hant?next=/items/{code}",
}


def assert_clean(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(page, live_demo, demo_code, name):
    page.goto(live_demo + PAGES[name](demo_code("低保申请")))
    assert_clean(page)


def test_notice_page_has_no_axe_violations(page, live_demo):
    page.goto(live_demo + "/notices")
    page.locator(".item-row").first.click()
    page.wait_for_url("**/notices/*")
    assert_clean(page)


def test_handwriting_pad_with_candidates_has_no_axe_violations(page, live_demo):
    page.goto(live_demo + "/search")
    page.get_by_role("button", name="手写").click()
    draw_with_touch(page, page.locator("#pad"), "十")
    page.locator("#candidates button").nth(7).wait_for()
    assert_clean(page)


def test_item_with_answers_and_open_question_has_no_axe_violations(page, live_demo, demo_code):
    page.goto(f"{live_demo}/items/{demo_code('低保申请')}")
    page.get_by_role("button", name="满意", exact=True).click()
    page.locator("[data-said-ok=rating]").filter(has_text="谢谢").wait_for()
    page.locator("summary", has_text="我有问题要问").click()
    page.locator("#keypad [data-key='1']").click()
    page.get_by_role("button", name="提交问题").click()
    page.locator("[data-said-error=question]").filter(has_text="电话").wait_for()
    page.get_by_role("button", name="大字").click()
    assert_clean(page)


def test_home_with_an_emergency_notice_has_no_axe_violations(page, live_demo, demo_app):
    with demo_app.extensions["kiosk_db"].session() as session:
        post_emergency(session, "暴雨红色预警", "请勿外出，远离河道。", actor="test")
        session.commit()
    page.goto(live_demo + "/")
    page.locator("#emergency").wait_for()
    assert_clean(page)
