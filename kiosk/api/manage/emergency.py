"""Emergency notices through the management API (kiosk.signage.emergency): what is over the
screens now, posting one, taking one down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, current_app

from kiosk.api.manage.common import actor, answer, blueprint, body, found, local, needs, no_content
from kiosk.db import utcnow
from kiosk.signage import emergency as service
from kiosk.signage.models import EmergencyNotice
from kiosk.web import db_session


def notice_json(notice: EmergencyNotice) -> dict[str, Any]:
    return {
        "id": notice.id,
        "title": notice.title,
        "body": notice.body,
        "group_id": notice.group_id,
        "source": notice.source,
        "issued_by": notice.issued_by,
        "created_at": local(notice.created_at),
        "expires_at": local(notice.expires_at),
    }


@blueprint.get("/emergencies")
@needs("viewer")
def list_emergencies() -> Response:
    active = service.active_emergencies(db_session())
    return answer([notice_json(notice) for notice in active])


@blueprint.post("/emergencies")
@needs("hall_manager")
def post_emergency() -> Response:
    values = body("EmergencyNoticeInput")
    minutes = values.get("minutes")
    central = current_app.config["KIOSK_ROLE"] == "central"
    posted = service.post_emergency(
        db_session(),
        values["title"],
        values.get("body", ""),
        actor=actor(),
        group_id=values.get("group_id"),
        expires_at=utcnow() + timedelta(minutes=minutes) if minutes else None,
        region=values.get("region", "") if central else "",
    )
    return answer(notice_json(posted), 201)


@blueprint.delete("/emergencies/<id:notice_id>")
@needs("hall_manager")
def clear_emergency(notice_id: int) -> Response:
    session = db_session()
    service.clear_emergency(session, found(session, EmergencyNotice, notice_id), actor())
    return no_content()
