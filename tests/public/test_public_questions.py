"""A question asked on the public site (at the centre) is on the centre's question desk at
once; its answer, approved there, is on the centre's own 查回复 and item page."""

from __future__ import annotations

import re

from sqlalchemy import select

from kiosk.answers.models import AskedQuestion
from tests.answers.test_loop import answer, text
from tests.conftest import csrf_token_of, signed_in
from tests.screens.conftest import code_of


def test_a_phone_question_is_answered_on_the_public_site(public_app, public_client):
    code = code_of(public_app, "低保申请")
    page = text(public_client.get(f"/items/{code}"))
    asked = public_client.post(
        f"/items/{code}/question",
        data={"topic": "材料不清楚", "phone": "13800138000", "csrf_token": csrf_token_of(page)},
        headers={"Accept": "application/json"},
    )
    assert asked.status_code == 200, text(asked)
    with public_app.extensions["kiosk_db"].session() as session:
        reply_code = session.scalar(select(AskedQuestion.reply_code))
    writer = signed_in(public_app, "writer", "hall_manager")
    queue = text(writer.get("/admin/questions/"))
    assert "公众网站" in queue and "低保申请" in queue
    answer(public_app, writer, "带身份证、户口簿和收入证明。", public=True)
    reply = text(public_client.get(f"/replies/{reply_code}"))
    assert "带身份证、户口簿和收入证明。" in reply and "尚未答复" not in reply
    item = text(public_client.get(f"/items/{code}"))
    assert "群众咨询" in item and "带身份证、户口簿和收入证明。" in item
    assert re.search(r"城关镇民政办 · \d{4}年", item)
