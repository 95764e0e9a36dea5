"""群众咨询 end to end: a question at a hall, answered and approved at the centre, back at
the halls through the feed; a real centre on loopback, two halls syncing from it."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.speech.services import readable_text
from kiosk.sync.hall.rounds import run_sync
from tests.conftest import csrf_token_of, signed_in
from tests.sync.conftest import TOWN, VILLAGE

WEST = "示范县/城关镇/西村"
APPROVE = re.compile(
    r'action="/admin/reviews/(\d+)/approve".*?name="seen" value="([0-9a-f]{64})"', re.S
)


def text(response) -> str:
    return response.get_data(as_text=True)


def ask(hall: Flask, code: str, phone: str = "138 0013 8000") -> str:
    """Ask at the hall's item page; the reply code the resident is shown."""
    client = hall.test_client()
    token = csrf_token_of(text(client.get(f"/items/{code}")))
    response = client.post(
        f"/items/{code}/question",
        data={"topic": "材料不清楚", "phone": phone, "csrf_token": token},
    )
    assert response.status_code == 303
    reply_code = re.search(r"/replies/(\d{10})", response.location).group(1)
    receipt = text(client.get(response.location))
    assert "您的问题已收到" in receipt and f'src="/replies/{reply_code}/qr.svg"' in receipt
    qr = client.get(f"/replies/{reply_code}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    return reply_code


def answer(central: Flask, writer: FlaskClient, body: str, public: bool) -> None:
    """Answer the oldest open question at /admin/questions/, then approve it as another."""
    queue = text(writer.get("/admin/questions/"))
    record_id = re.search(r'href="/admin/questions/(\d+)"', queue).group(1)
    form = text(writer.get(f"/admin/questions/{record_id}"))
    data = {
        "question": "低保申请要带哪些材料？",
        "body": body,
        "department": "城关镇民政办",
        "csrf_token": csrf_token_of(form),
    }
    if public:
        data["public"] = "y"
    sent = writer.post(f"/admin/questions/{record_id}", data=data)
    assert sent.status_code == 303, text(sent)
    reviewer = signed_in(central, f"reviewer{record_id}", "hall_manager")
    desk = text(reviewer.get("/admin/reviews/"))
    review_id, seen = APPROVE.search(desk).groups()
    assert body in desk
    approved = reviewer.post(
        f"/admin/reviews/{review_id}/approve",
        data={"seen": seen, "csrf_token": csrf_token_of(desk)},
    )
    assert approved.status_code == 303


def test_public_answer_reaches_every_hall_private_only_the_asking_one(central, make_hall):
    central.put("T1", TOWN, name="低保申请")
    east = make_hall(central.node("东村服务站", VILLAGE), name="east")
    west = make_hall(central.node("西村服务站", WEST), name="west", KIOSK_REGION=WEST)
    run_sync(east), run_sync(west)

    public_code = ask(east, "T1")
    waiting = text(east.test_client().get(f"/replies/{public_code}"))
    assert "尚未答复" in waiting and "年" in waiting  # with the date asked
    run_sync(east)  # the question goes up

    writer = signed_in(central.app, "writer", "hall_manager")
    queue = text(writer.get("/admin/questions/"))
    assert "东村服务站" in queue and "事项T1" not in queue and "低保申请" in queue
    assert "138****8000" in queue and "13800138000" not in queue
    answer(central.app, writer, "带身份证、户口簿和收入证明。", public=True)

    run_sync(west), run_sync(east)
    item_west = text(west.test_client().get("/items/T1"))
    assert "群众咨询" in item_west and "带身份证、户口簿和收入证明。" in item_west
    assert "城关镇民政办" in item_west
    reply = text(east.test_client().get(f"/replies/{public_code}"))
    assert "带身份证、户口簿和收入证明。" in reply and "尚未答复" not in reply
    # Any kiosk of the county finds a public answer by its code.
    assert "带身份证" in text(west.test_client().get(f"/replies/{public_code}"))
    # The read-aloud text of the item says the answer too.
    with west.extensions["kiosk_db"].session() as session:
        spoken = readable_text(session, "item", "T1", WEST)
    assert (
        spoken is not None and "群众咨询" in spoken and "答：带身份证、户口簿和收入证明。" in spoken
    )

    private_code = ask(east, "T1", phone="")
    run_sync(east)
    answer(central.app, writer, "请本人到村便民服务站面谈。", public=False)
    run_sync(west), run_sync(east)
    assert "请本人到村便民服务站面谈。" in text(east.test_client().get(f"/replies/{private_code}"))
    assert "请本人到村便民服务站面谈。" not in text(west.test_client().get("/items/T1"))
    assert "请本人到村便民服务站面谈。" not in text(east.test_client().get("/items/T1"))
    elsewhere = text(west.test_client().get(f"/replies/{private_code}"))
    assert "这里还查不到答复" in elsewhere


def test_full_phone_only_to_county_admins_and_every_view_logged(central, make_hall):
    central.put("T1", TOWN)
    east = make_hall(central.node(), name="east")
    run_sync(east)
    ask(east, "T1")
    run_sync(east)
    manager = signed_in(central.app, "manager", "hall_manager")
    queue = text(manager.get("/admin/questions/"))
    record_id = re.search(r'href="/admin/questions/(\d+)"', queue).group(1)
    form = text(manager.get(f"/admin/questions/{record_id}"))
    assert "查看完整号码" not in form and "138****8000" in form
    token = csrf_token_of(form)
    refused = manager.post(f"/admin/questions/{record_id}/phone", data={"csrf_token": token})
    assert refused.status_code == 403
    admin = signed_in(central.app, "county", "county_admin")
    form = text(admin.get(f"/admin/questions/{record_id}"))
    shown = admin.post(
        f"/admin/questions/{record_id}/phone", data={"csrf_token": csrf_token_of(form)}
    )
    assert "13800138000" in text(shown)
    with central.database.session() as session:
        views = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "question.phone_view")
        ).all()
    assert [(view.actor, view.target) for view in views] == [("county", f"question:{record_id}")]
