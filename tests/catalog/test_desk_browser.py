"""The catalog desk in Chromium, end to end with a real centre and a real hall: a messy
workbook previewed with its diff and a warning, approved by a second county admin, synced
to the hall; an item edited in the form, and one withdrawn, each reaching the hall."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kiosk.accounts.services import create_user
from kiosk.serve import serve_in_thread
from kiosk.sync.hall.rounds import run_sync
from tests.catalog.desk_files import AUDIENCE, EXTRA, write_messy_workbook
from tests.conftest import TEST_PASSWORD
from tests.sync.conftest import VILLAGE, Central

# Set KIOSK_TEST_SHOTS to a folder to keep screenshots of the desk's pages.
SHOTS = os.environ.get("KIOSK_TEST_SHOTS", "")


@pytest.fixture
def central(app_factory) -> Iterator[Central]:
    app = app_factory(name="central", KIOSK_ROLE="central", KIOSK_REVIEW_STEPS=1)
    with serve_in_thread(app) as url:
        yield Central(app, url)


@pytest.fixture
def touch(browser) -> Iterator[Page]:
    """The hall's touch screen, in a context of its own (cookies do not tell ports apart)."""
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN")
    yield context.new_page()
    context.close()


def staff(app, name: str) -> None:
    with app.extensions["kiosk_db"].session() as session:
        create_user(session, name, "county_admin", TEST_PASSWORD, actor="test")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def sign_in(page: Page, url: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/admin/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")


def approve_first(page: Page, url: str, reviewer: str, expected: str) -> None:
    sign_in(page, url, reviewer)
    page.goto(f"{url}/admin/reviews/")
    card = page.locator("section.card").first
    expect(card).to_contain_text(expected)
    shot(page, f"review-{reviewer}")
    card.get_by_role("button", name="批准").click()
    expect(page.locator(".flash-ok")).to_contain_text("已批准并发布")


def test_workbook_review_sync_edit_and_withdraw_reach_the_hall(
    central, desk, touch, app_factory, tmp_path
):
    staff(central.app, "amy")
    staff(central.app, "bo")
    page, url = desk, central.url

    # The region tree first: the import picks its region from it.
    sign_in(page, url, "amy")
    page.goto(f"{url}/admin/catalog/regions/")
    for parent, name in (("", "示范县"), ("示范县", "城关镇"), ("示范县/城关镇", "东村")):
        page.select_option("select[name=parent]", parent)
        page.fill("input#name", name)
        page.get_by_role("button", name="添加", exact=True).click()
        expect(page.locator(".flash-ok")).to_contain_text("已添加区域")
    shot(page, "regions")

    workbook = write_messy_workbook(tmp_path / "示范县目录.xlsx")
    page.goto(f"{url}/admin/catalog/")
    page.set_input_files("input[name=files]", str(workbook))
    page.select_option("select[name=region]", "示范县")
    shot(page, "upload")
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("[data-count=added]")).to_have_text("3")
    expect(page.locator(".warnings")).to_contain_text(EXTRA)
    # The vocabulary warning names its sheet, row and column, each in its own cell.
    warned = page.locator(".warnings tr", has_text=AUDIENCE)
    expect(warned.locator("td").nth(1)).to_have_text("目录")
    expect(warned.locator("td").nth(2)).to_have_text("第 5 行")
    expect(warned.locator("td").nth(3)).to_contain_text("服务对象")
    expect(warned.locator("td").nth(4)).to_have_text(
        f"“{AUDIENCE}”不在服务对象的参考值里，已按原样保留"
    )
    expect(page.locator("details.diff").first).to_contain_text("事项内容")
    shot(page, "preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".flash-ok")).to_contain_text("已送审")

    hall = app_factory(
        name="hall",
        KIOSK_CENTRAL_URL=url,
        KIOSK_NODE_TOKEN=central.node(),
        KIOSK_REGION=VILLAGE,
    )
    assert run_sync(hall).upserted == 0  # nothing is published before approval
    approve_first(page, url, "bo", "示范县目录.xlsx")
    assert run_sync(hall).upserted == 3

    with serve_in_thread(hall) as hall_url:
        sign_in(page, url, "amy")
        page.goto(f"{url}/admin/catalog/items/?q=临时救助")
        shot(page, "items")
        page.get_by_role("link", name="臨時救助申請").click()
        code = page.url.rsplit("/", 1)[-1]
        touch.goto(f"{hall_url}/items/{code}")
        expect(touch.locator("main")).to_contain_text("申請條件與材料")

        page.goto(f"{url}/admin/catalog/items/{code}")
        shot(page, "item")
        page.fill("textarea[name=content]", "申请条件：家庭遭遇突发困难。")
        page.get_by_role("button", name="保存修改").click()
        expect(page.locator(".flash-ok")).to_contain_text("已送审")
        approve_first(page, url, "bo", "家庭遭遇突发困难")
        run_sync(hall)
        touch.goto(f"{hall_url}/items/{code}")
        expect(touch.locator("main")).to_contain_text("家庭遭遇突发困难")

        sign_in(page, url, "amy")
        page.goto(f"{url}/admin/catalog/items/{code}")
        page.select_option("select[name=new-status]", "近期不公开")
        page.fill("textarea[name=new-reason]", "政策调整中，暂停公开。")
        page.get_by_role("button", name="变更公开状态").click()
        approve_first(page, url, "bo", "近期不公开")
        run_sync(hall)
        answer = touch.goto(f"{hall_url}/items/{code}")
        assert answer is not None and answer.status == 404

        sign_in(page, url, "amy")
        page.goto(f"{url}/admin/catalog/items/{code}/history")
        versions = page.locator("main section.card")
        expect(versions).to_have_count(3)
        expect(versions.first).to_contain_text("政策调整中")
        expect(versions.last).to_contain_text("示范县目录.xlsx")
        shot(page, "history")
