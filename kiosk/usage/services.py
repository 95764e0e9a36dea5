"""Record what residents do, locally and in the outbox for the centre."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.accounts.throttle import Limit, count_attempt
from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.outbox.services import enqueue
from kiosk.usage.models import QUESTION_TOPICS, RATINGS, UsageEvent

# Mainland mobile or fixed-line numbers, digits only after the keypad strips separators.
PHONE = re.compile(r"1\d{10}|0\d{9,11}")
PHONE_MESSAGE = "电话号码不对：手机号是 1 开头的 11 位数字，座机号以 0 开头（含区号）。"
POPULAR_WINDOW = timedelta(days=30)
NAMES_PER_ITEM = 8  # viewed rows read per wanted line: one guide is held at several levels
# Ratings and questions a touch-screen session may send in a quarter of an hour (counted as
# sign-ins are); the address, which a kiosk's screens share, far more: for a client that
# drops its cookie to start a new session each time.
POSTS_PER_VISIT = Limit("post", 10)
POSTS_PER_ADDRESS = Limit("post-addr", 300)


def _record(session: Session, extra: dict[str, str] | None = None, **values: Any) -> UsageEvent:
    event = UsageEvent(**values)
    session.add(event)
    session.flush()
    enqueue(
        session,
        f"usage.{event.kind}",
        {
            "kind": event.kind,
            "at": event.at.isoformat(),
            "item_code": event.item_code,
            "query": event.query,
            "hits": event.hits,
            "value": event.value,
            "phone": event.phone,
            **(extra or {}),
        },
    )
    return event


def record_view(session: Session, item_code: str) -> UsageEvent:
    return _record(session, kind="view", item_code=item_code)


def record_search(session: Session, query: str, hits: int) -> UsageEvent:
    return _record(session, kind="search", query=query[:200], hits=hits)


def check_post_rate(session: Session, visit: str, address: str) -> None:
    """Count a rating or question of touch-screen session `visit`; InputError past the limit."""
    now = utcnow()
    counts = [
        (limit, count_attempt(session, f"{limit.prefix}:{key}", now))
        for limit, key in ((POSTS_PER_VISIT, visit), (POSTS_PER_ADDRESS, address))
    ]
    if any(count > limit.most for limit, count in counts):
        raise InputError("您提交得太频繁了，请过一刻钟再试。谢谢您的耐心。")


def record_rating(session: Session, item_code: str, rating: str) -> UsageEvent:
    if rating not in RATINGS:
        raise InputError(f"请选择评价：{'、'.join(RATINGS)}。", "rating")
    return _record(session, kind="rating", item_code=item_code, value=rating)


def record_question(
    session: Session, item_code: str, topic: str, phone: str = "", reply_code: str = ""
) -> UsageEvent:
    """A question, sent up with the reply code the resident looks the answer up by."""
    if topic not in QUESTION_TOPICS:
        raise InputError(f"请选择想问的内容：{'、'.join(QUESTION_TOPICS)}。", "topic")
    digits = re.sub(r"\D", "", phone)
    if digits and not PHONE.fullmatch(digits):
        raise InputError(PHONE_MESSAGE, "phone")
    return _record(
        session,
        {"reply_code": reply_code} if reply_code else None,
        kind="question",
        item_code=item_code,
        value=topic,
        phone=digits,
    )


def popular_items(session: Session, region: str, limit: int = 6) -> list[Item]:
    """Items viewed most in the last 30 days, one per name (the same guide at several levels
    is one line to a resident); guides fill in while there are few views."""
    since = utcnow() - POPULAR_WINDOW
    views = (
        select(UsageEvent.item_code, func.count().label("views"))
        .where(UsageEvent.kind == "view", UsageEvent.at >= since)
        .group_by(UsageEvent.item_code)
        .subquery()
    )
    query = (
        visible_items(region)
        .join(views, views.c.item_code == Item.code)
        .order_by(views.c.views.desc(), Item.name)
        .limit(limit * NAMES_PER_ITEM)
    )
    items = _one_per_name(session.scalars(query), limit)
    if len(items) < limit:
        guides = visible_items(region).where(
            Item.item_type == "办事指南", Item.name.not_in([item.name for item in items])
        )
        names = list(
            session.scalars(
                guides.with_only_columns(Item.name)
                .group_by(Item.name)
                .order_by(func.min(Item.level), Item.name)
                .limit(limit - len(items))
            )
        )
        fill = guides.where(Item.name.in_(names)).order_by(Item.level, Item.name, Item.code)
        items = _one_per_name([*items, *session.scalars(fill)], limit)
    return items


def _one_per_name(items: Iterable[Item], limit: int) -> list[Item]:
    kept: dict[str, Item] = {}
    for item in items:
        kept.setdefault(item.name, item)
    return list(kept.values())[:limit]


def recent_events(session: Session, kind: str, limit: int = 200) -> list[UsageEvent]:
    query = select(UsageEvent).where(UsageEvent.kind == kind)
    return list(
        session.scalars(query.order_by(UsageEvent.at.desc(), UsageEvent.id.desc()).limit(limit))
    )


def recent_searches(
    session: Session, only_unfound: bool = False, limit: int = 200
) -> list[UsageEvent]:
    """Latest searches; with only_unfound, the distinct queries that found nothing."""
    if not only_unfound:
        return recent_events(session, "search", limit)
    latest = (
        select(UsageEvent.query, func.max(UsageEvent.id).label("id"), func.count().label("times"))
        .where(UsageEvent.kind == "search", UsageEvent.hits == 0)
        .group_by(UsageEvent.query)
        .subquery()
    )
    query = (
        select(UsageEvent)
        .join(latest, latest.c.id == UsageEvent.id)
        .order_by(latest.c.times.desc(), UsageEvent.at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def rating_counts(session: Session) -> dict[str, int]:
    query = (
        select(UsageEvent.value, func.count())
        .where(UsageEvent.kind == "rating")
        .group_by(UsageEvent.value)
    )
    return dict(session.execute(query).all())
