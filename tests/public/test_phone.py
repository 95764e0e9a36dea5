"""一事一码 end to end: a hall's kiosk item page shows a QR code; scanned (zbar), it opens the
item at the centre on a 390x844 touch phone, in the public presentation: the name and the
first facts in the first screen, no idle reset, and a rating and a question typed with the
phone's own keyboard arrive at the centre's desk."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import select

from kiosk.answers.centre import QUESTION_KIND
from kiosk.serve import serve_in_thread
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.local import PUBLIC_SITE
from kiosk.sync.models import ReceivedRecord, SyncNode
from tests.screens.conftest import save_screenshot
from tests.sync.conftest import TOWN, VILLAGE, Central

PHONE = {"width": 390, "height": 844}
GUIDE = (
    "【事项说明】城乡居民符合条件的可申请临时救助。\n"
    "【申请材料】1. 居民身份证；2. 户口簿；3. 困难情况说明。\n"
    "【办理地点】城关镇便民服务中心2号窗口，周一至周五 8:30-17:30。\n"
    "【办理时限】5个工作日。\n"
    "【咨询电话】0799-8123456。"
)


@pytest.fixture
def centre(app_factory):
    # Idle times far shorter than a hall's, to show that nothing on a phone waits for them.
    app = app_factory(
        name="central", KIOSK_ROLE="central", KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=1
    )
    with serve_in_thread(app) as url:
        yield Central(app, url)


def decode_qr(png: bytes, tmp_path) -> str:
    shot = tmp_path / "qr.png"
    shot.write_bytes(png)
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, check=True
    )
    return found.stdout.strip()


def received(centre: Central, kind: str) -> list[ReceivedRecord]:
    with centre.database.session() as session:
        query = (
            select(ReceivedRecord)
            .join(SyncNode, SyncNode.id == ReceivedRecord.node_id)
            .where(ReceivedRecord.kind == kind, SyncNode.name == PUBLIC_SITE)
        )
        return list(session.scalars(query))


def test_a_scanned_item_opens_on_the_phone_and_its_feedback_reaches_the_centre(
    browser, app_factory, centre, tmp_path
):
    centre.put("T9", TOWN, name="临时救助申请", content=GUIDE, publisher="城关镇民政办")
    hall = app_factory(
        name="hall",
        KIOSK_CENTRAL_URL=centre.url,
        KIOSK_NODE_TOKEN=centre.node("东村", VILLAGE),
        KIOSK_REGION=VILLAGE,
        KIOSK_PUBLIC_URL=centre.url,
    )
    run_sync(hall)
    with serve_in_thread(hall) as hall_url:
        kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN")
        screen = kiosk.new_page()
        screen.goto(f"{hall_url}/items/T9")
        qr = screen.locator("img.qr")
        qr.wait_for()
        screen.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")
        address = decode_qr(qr.screenshot(), tmp_path)
        kiosk.close()
    assert address == f"{centre.url}/items/T9"

    phone = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=3, locale="zh-CN"
    )
    page = phone.new_page()
    page.goto(address)
    assert page.locator("body").get_attribute("data-presentation") == "public"
    first_screen = PHONE["height"]
    for shown in (
        page.get_by_role("heading", level=1, name="临时救助申请"),
        page.locator(".summary-facts dd").first,
        page.locator(".summary-facts dt", has_text="到哪里办"),
        page.locator(".summary-facts dt", has_text="找谁问"),
    ):
        box = shown.bounding_box()
        assert box is not None and box["y"] + box["height"] <= first_screen, shown
    assert page.locator(".summary-facts a[href='tel:07998123456']").is_visible()
    save_screenshot(page, "public-item")

    page.wait_for_timeout(3500)  # past idle plus warning: a phone is never sent home
    assert page.url == address
    assert page.locator("#idle-warning").count() == 0

    page.get_by_role("button", name="满意", exact=True).tap()
    page.locator("[data-said-ok=rating]").filter(has_text="谢谢").wait_for()
    page.locator("summary", has_text="我有问题要问").tap()
    page.get_by_label("希望工作人员联系我").tap()
    phone_field = page.locator("#phone")
    assert phone_field.get_attribute("inputmode") == "tel"
    phone_field.tap()
    page.keyboard.type("13800138000")
    page.get_by_role("button", name="提交问题").tap()
    page.locator("[data-said-ok=question]").filter(has_text="回复码").wait_for()
    phone.close()

    ratings = received(centre, "usage.rating")
    assert [r.payload["value"] for r in ratings] == ["满意"]
    assert ratings[0].payload["item_code"] == "T9"
    questions = received(centre, QUESTION_KIND)
    assert len(questions) == 1 and questions[0].payload["phone"] == "13800138000"
    assert questions[0].payload["value"] == "希望工作人员联系我"
    assert questions[0].payload["reply_code"]
