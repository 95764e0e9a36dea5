"""A question asked on the public site (at the centre) is on the centre's question desk at
once; its answer, approved there, is on the centre's own 查回复 and item page."""

from __future__ import annotations

import re

from sqlalchemy import select

from kiosk.answers.models import AskedQuestion
from kiosk.outbox.models import OutboxEntry
from kiosk.outbox.services import enqueue
from kiosk.sync.models import ReceivedRecord
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


def test_a_record_the_centre_cannot_file_waits_and_blocks_nothing(public_app, public_client):
    """An application filed without KIOSK_DATA_KEY is refused; the rating after it is not."""
    with public_app.extensions["kiosk_db"].session() as session:
        enqueue(
            session, "application", {"number": "1", "submitted_at": "2026-12-02T08:00:00+00:00"}
        )
    code = code_of(public_app, "低保申请")
    page = text(public_client.get(f"/items/{code}"))
    rated = public_client.post(
        f"/items/{code}/rating",
        data={"rating": "满意", "csrf_token": csrf_token_of(page)},
        headers={"Accept": "application/json"},
    )
    assert rated.status_code == 200, text(rated)
    with public_app.extensions["kiosk_db"].session() as session:
        kinds = set(session.scalars(select(ReceivedRecord.kind)))
        waiting = session.scalar(select(OutboxEntry).where(OutboxEntry.kind == "application"))
    assert "usage.rating" in kinds and "application" not in kinds
    assert waiting.sent_at is None and "申请" in waiting.last_error
