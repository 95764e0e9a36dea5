"""axe-core finds no WCAG 2.2 AA violation on the resident pages, in either orientation."""

from __future__ import annotations

import pytest

from tests.screens.conftest import axe_violations, describe

PAGES = {
    "home": lambda code: "/",
    "browse": lambda code: "/browse?domain=社会救助&c1=最低生活保障",
    "items": lambda code: "/browse?domain=社会救助&c1=最低生活保障&c2=办事指南",
    "item": lambda code: f"/items/{code}",
    "search": lambda code: "/search?q=dbsq",
    "search-empty": lambda code: "/search?q=火星",
    "notices": lambda code: "/notices",
    "traditional-home": lambda code: "/script/hant?next=/",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(page, live_demo, demo_code, name):
    page.goto(live_demo + PAGES[name](demo_code("低保申请")))
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_notice_page_has_no_axe_violations(page, live_demo):
    page.goto(live_demo + "/notices")
    page.locator(".item-row").first.click()
    page.wait_for_url("**/notices/*")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
