"""依申请公开 end to end: the form in headless Chromium at a hall, registered at a real
centre on loopback, the clock over a holiday calendar with an official working weekend,
extension, reply, status back at the kiosk; the hall's file keeps no identity number."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from kiosk.applications.centre import get_application
from kiosk.applications.identity import check_digit, mask, resident_id
from kiosk.applications.models import Application
from kiosk.audit.models import AuditEntry
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.serve import serve_in_thread
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.nodes import add_node
from tests.conftest import csrf_token_of, signed_in
from tests.sync.conftest import TOWN, VILLAGE

GOOD_ID = "11010519491231002X"  # the standard's own example
BAD_ID = "110105194912310021"


def test_gb11643_check_digit_and_mask():
    assert check_digit(GOOD_ID[:17]) == "X"
    assert resident_id(" 11010519491231002x ") == GOOD_ID
    with pytest.raises(InputError, match="校验位不对"):
        resident_id(BAD_ID)
    with pytest.raises(InputError, match="出生日期不对"):
        resident_id("110105194913310026")
    assert mask(GOOD_ID) == "110105********002X"


def local_today() -> date:
    return utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()


def county_calendar(path: Path, today: date) -> tuple[Path, date]:
    """A calendar with the next Saturday worked (调休) and the Monday and Tuesday after it
    off; returns it and the reply deadline counted by hand: 20 working days after today."""
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    monday, tuesday = saturday + timedelta(days=2), saturday + timedelta(days=3)
    path.write_text(
        "日期,安排,说明\n"
        f"{saturday.isoformat()},班,调休上班\n"
        f"{monday.isoformat()},休,节日\n{tuesday.isoformat()},休,节日\n",
        encoding="utf-8",
    )
    day, counted = today, 0
    while counted < 20:
        day += timedelta(days=1)
        if day == saturday or (day.weekday() < 5 and day not in (monday, tuesday)):
            counted += 1
    return path, day


def file_bytes(hall) -> bytes:
    """The hall's database as stored: the file and its write-ahead log."""
    files = [Path(hall.instance_path, name) for name in ("kiosk.db", "kiosk.db-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists())


def test_application_from_the_kiosk_to_the_reply(central, make_hall, browser, tmp_path):
    key = Fernet.generate_key().decode()
    holidays, due = county_calendar(tmp_path / "holidays.csv", local_today())
    central.app.config.update(KIOSK_DATA_KEY=key, KIOSK_HOLIDAYS_FILE=str(holidays))
    central.put("T1", TOWN, name="农村低保资金发放情况", disclosure_form="依申请公开")
    # The hall on SQLite (as halls are) whichever database the centre runs on.
    hall = make_hall(central.node("东村服务站", VILLAGE), name="east", KIOSK_DATABASE_URL="")
    run_sync(hall)

    with serve_in_thread(hall) as url:
        context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{url}/items/T1")
        page.click("text=申请公开本事项的政府信息")
        assert "农村低保资金发放情况" in page.inner_text("form")
        page.fill("#applicant", "张三")
        page.fill("#id_number", BAD_ID)
        page.fill("#phone", "13800138000")
        page.fill("#description", "2026年东村低保资金发放名单")
        page.click("button[type=submit]")
        assert "身份证号码有误（校验位不对）" in page.inner_text("#id_number-error")
        page.fill("#id_number", GOOD_ID)
        page.click("button[type=submit]")
        assert "这是您的回执" in page.inner_text("h1")
        number = re.search(r"(\d{8})-(\d{6})", page.inner_text(".reply-code")).groups()
        number = "".join(number)
        assert page.eval_on_selector("img.qr", "img => img.complete && img.naturalWidth > 0")
        assert "等待县里登记" in page.inner_text("main")
        assert GOOD_ID.encode() in file_bytes(hall)  # held until the centre has it

        run_sync(hall)  # up to the centre (a round pulls first, then delivers)
        with central.database.session() as session:
            filed = session.scalar(select(Application).where(Application.number == number))
            assert filed is not None and filed.due_on == due
            assert filed.id_masked == "110105********002X" and GOOD_ID not in filed.id_cipher
            application_id = filed.id
        run_sync(hall)  # its status comes down with the next round
        page.goto(f"{url}/apply/status/{number}")
        assert "办理中" in page.inner_text("main")
        assert f"{due.year}年{due.month}月{due.day}日前" in page.inner_text("main")

        manager = signed_in(central.app, "manager", "hall_manager")
        shown = manager.get(f"/admin/applications/{application_id}").get_data(as_text=True)
        assert "110105********002X" in shown and GOOD_ID not in shown
        token = csrf_token_of(shown)
        manager.post(
            f"/admin/applications/{application_id}/extend",
            data={"reason": "需要向县民政局调取材料", "csrf_token": token},
        )
        again = manager.post(
            f"/admin/applications/{application_id}/extend",
            data={"reason": "再延一次", "csrf_token": token},
            follow_redirects=True,
        )
        assert "只允许延期一次" in again.get_data(as_text=True)
        with central.database.session() as session:
            extended = get_application(session, application_id).due_on
        assert extended is not None and extended > due
        manager.post(
            f"/admin/applications/{application_id}/reply",
            data={"outcome": "公开", "detail": "", "csrf_token": token},
        )
        admin = signed_in(central.app, "county", "county_admin")
        page_html = admin.get(f"/admin/applications/{application_id}").get_data(as_text=True)
        unmasked = admin.post(
            f"/admin/applications/{application_id}/id",
            data={"csrf_token": csrf_token_of(page_html)},
        )
        assert GOOD_ID in unmasked.get_data(as_text=True)
        with central.database.session() as session:
            actions = session.scalars(
                select(AuditEntry.action).where(AuditEntry.target == f"application:{number}")
            ).all()
        assert actions == ["application.extend", "application.reply", "application.id_view"]

        run_sync(hall)
        page.goto(f"{url}/apply/status/{number}")
        status = page.inner_text("main")
        assert "已答复" in status and "公开" in status and "张三" not in status
        context.close()

    raw = file_bytes(hall)
    assert GOOD_ID.encode() not in raw and b"13800138000" not in raw


def test_a_malformed_application_from_a_hall_is_refused_whole(app_factory):
    central = app_factory(
        name="central", KIOSK_ROLE="central", KIOSK_DATA_KEY=Fernet.generate_key().decode()
    )
    client = central.test_client()
    with central.extensions["kiosk_db"].session() as session:
        token = add_node(session, "东村服务站", VILLAGE, "t")[1]
    batch = {"entries": [{"key": "k1", "kind": "application", "payload": {"number": "1"}}]}
    answer = client.post("/api/v1/outbox", json=batch, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and "申请编号或提交时间不对" in answer.get_json()["message"]
    unkeyed = app_factory(name="unkeyed", KIOSK_ROLE="central")
    with unkeyed.extensions["kiosk_db"].session() as session:
        token = add_node(session, "东村服务站", VILLAGE, "t")[1]
    payload = {
        "number": "20261202000001",
        "submitted_at": utcnow().isoformat(),
        "id_number": GOOD_ID,
    }
    batch = {"entries": [{"key": "k1", "kind": "application", "payload": payload}]}
    answer = unkeyed.test_client().post(
        "/api/v1/outbox", json=batch, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 400 and "KIOSK_DATA_KEY" in answer.get_json()["message"]
    with unkeyed.extensions["kiosk_db"].session() as session:
        assert session.scalars(select(Application)).all() == []
