"""Ratings and questions are limited per touch-screen session, with a message in Chinese."""

from __future__ import annotations

from sqlalchemy import func, select

from kiosk.catalog.services import visible_items
from kiosk.usage.models import UsageEvent
from kiosk.usage.services import POSTS_PER_VISIT
from tests.conftest import csrf_token_of

TOO_OFTEN = "您提交得太频繁了，请过一刻钟再试。"


def _send(client, code: str, token: str, index: int) -> str:
    kind, field, value = (
        ("rating", "rating", "满意") if index % 2 else ("question", "topic", "材料不清楚")
    )
    answer = client.post(
        f"/items/{code}/{kind}", data={field: value, "csrf_token": token}, follow_redirects=True
    )
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _kept(app) -> int:
    with app.extensions["kiosk_db"].session() as session:
        kinds = UsageEvent.kind.in_(("rating", "question"))
        return session.scalar(select(func.count(UsageEvent.id)).where(kinds)) or 0


def test_a_touch_screen_session_posting_past_the_limit_is_told_to_wait(demo_app):
    with demo_app.extensions["kiosk_db"].session() as session:
        code = session.scalars(visible_items()).first().code
    client = demo_app.test_client()
    token = csrf_token_of(client.get(f"/items/{code}").get_data(as_text=True))
    before = _kept(demo_app)
    for index in range(POSTS_PER_VISIT.most):
        assert TOO_OFTEN not in _send(client, code, token, index)
    assert TOO_OFTEN in _send(client, code, token, 0)
    assert _kept(demo_app) == before + POSTS_PER_VISIT.most
    # Another touch-screen session (the idle reset's fresh start, another screen) may post.
    other = demo_app.test_client()
    token = csrf_token_of(other.get(f"/items/{code}").get_data(as_text=True))
    assert TOO_OFTEN not in _send(other, code, token, 1)
