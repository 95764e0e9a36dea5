"""Centre: the register of information applications and its statutory clock
(政府信息公开条例 2019): reply within 20 working days of receipt (art. 33), one extension of
at most 20 with the reason (art. 33), a 补正 request stops the clock, which starts again
from the day the corrected application arrives (art. 30); the outcomes of art. 36."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.applications.identity import decrypt, encrypt, mask
from kiosk.applications.models import OUTCOMES, STATES, Application
from kiosk.audit.services import record
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.holidays import Calendar, working_calendar
from kiosk.sync.changes import next_seq
from kiosk.sync.feed_sections import MAX_ANSWERS
from kiosk.sync.inbox import RECEIVERS
from kiosk.sync.models import SyncNode

REPLY_DAYS = EXTENSION_DAYS = 20
NUMBER = re.compile(r"[0-9]{14}")
PERSONAL = ("applicant", "id_number", "phone", "address", "email")
NEEDS_DETAIL = {
    "部分公开": "不予公开部分的理由",
    "不予公开": "不予公开的理由",
    "非本机关负责": "负责公开该信息的机关名称（及联系方式）",
}


def receive(
    session: Session, node: SyncNode, entry: dict[str, Any], config: Mapping[str, Any]
) -> dict[str, Any]:
    """File an application a hall sent up (the identity number encrypted with
    KIOSK_DATA_KEY); the received record keeps it without any personal data."""
    payload = entry["payload"]
    key = str(config.get("KIOSK_DATA_KEY") or "")
    zone = ZoneInfo(str(config.get("KIOSK_TIMEZONE") or "Asia/Shanghai"))
    number = str(payload.get("number") or "")
    try:
        submitted = datetime.fromisoformat(str(payload.get("submitted_at")))
    except ValueError:
        submitted = None
    if not NUMBER.fullmatch(number) or submitted is None or submitted.tzinfo is None:
        raise InputError("上报的政府信息公开申请不合格：申请编号或提交时间不对。")
    if session.scalar(select(Application.id).where(Application.number == number)) is None:
        received = submitted.astimezone(zone).date()
        session.add(
            Application(
                number=number,
                node_id=node.id,
                applicant=str(payload.get("applicant", ""))[:200],
                applicant_kind=str(payload.get("applicant_kind", ""))[:16],
                id_kind=str(payload.get("id_kind", ""))[:32],
                id_cipher=encrypt(key, str(payload.get("id_number", ""))),
                id_masked=mask(str(payload.get("id_number", ""))),
                phone=str(payload.get("phone", ""))[:20],
                address=str(payload.get("address", ""))[:300],
                email=str(payload.get("email", ""))[:200],
                description=str(payload.get("description", "")),
                item_code=str(payload.get("item_code", ""))[:64],
                delivery=str(payload.get("delivery", ""))[:16],
                filled_by=str(payload.get("filled_by", ""))[:64],
                submitted_at=submitted,
                clock_from=received,
                due_on=working_calendar(config).add_working_days(received, REPLY_DAYS),
                seq=next_seq(session),
            )
        )
    return {key: value for key, value in payload.items() if key not in PERSONAL}


RECEIVERS["application"] = receive


def get_application(session: Session, application_id: int) -> Application:
    found = session.get(Application, application_id)
    if found is None:
        raise InputError(f"没有编号为 {application_id} 的申请。")
    return found


def register(session: Session) -> list[Application]:
    query = select(Application).order_by(Application.state == "answered", Application.due_on)
    return list(session.scalars(query.limit(500)))


def is_overdue(application: Application, today: date) -> bool:
    return (
        application.state == "registered"
        and application.due_on is not None
        and today > application.due_on
    )


def _changed(
    session: Session, application: Application, actor: str, action: str, **after: Any
) -> None:
    application.seq = next_seq(session)  # the halls' status feed carries it again
    record(
        session, actor, f"application.{action}", f"application:{application.number}", None, after
    )


def _open(application: Application) -> None:
    if application.state == "answered":
        raise InputError("这件申请已经答复，不能再改。")


def extend(
    session: Session, application: Application, reason: str, calendar: Calendar, actor: str
) -> None:
    """The one extension the regulation allows: 20 more working days, with the reason."""
    _open(application)
    if application.extended:
        raise InputError("这件申请已经延期过一次，条例只允许延期一次。")
    if application.state != "registered" or application.due_on is None:
        raise InputError("等待补正的申请不计时，不能延期。")
    reason = reason.strip()
    if not reason:
        raise InputError("延期须写明理由（条例第三十三条：经负责人同意并告知申请人）。", "reason")
    application.extended, application.extension_reason = True, reason[:1000]
    application.due_on = calendar.add_working_days(application.due_on, EXTENSION_DAYS)
    _changed(
        session, application, actor, "extend", due_on=application.due_on.isoformat(), reason=reason
    )


def request_correction(session: Session, application: Application, note: str, actor: str) -> None:
    """补正: tell the applicant what to add; the clock stops until it arrives."""
    _open(application)
    note = note.strip()
    if not note:
        raise InputError("请写明需要申请人补正的内容。", "note")
    application.state, application.correction_note, application.due_on = (
        "correction",
        note[:1000],
        None,
    )
    _changed(session, application, actor, "correction", note=note)


def correction_received(
    session: Session, application: Application, on: date, calendar: Calendar, actor: str
) -> None:
    """The corrected application arrived on `on`: the 20 working days start again from it."""
    if application.state != "correction":
        raise InputError("这件申请没有在等待补正。")
    application.state, application.clock_from = "registered", on
    days = REPLY_DAYS + (EXTENSION_DAYS if application.extended else 0)
    application.due_on = calendar.add_working_days(on, days)
    _changed(session, application, actor, "resume", clock_from=on.isoformat())


def reply(
    session: Session, application: Application, outcome: str, detail: str, today: date, actor: str
) -> None:
    _open(application)
    if outcome not in OUTCOMES:
        raise InputError(f"请选择答复结果：{'、'.join(OUTCOMES)}。", "outcome")
    detail = detail.strip()
    if outcome in NEEDS_DETAIL and not detail:
        raise InputError(f"答复“{outcome}”须写明{NEEDS_DETAIL[outcome]}。", "detail")
    application.state, application.outcome = "answered", outcome
    application.outcome_detail, application.answered_on = detail[:2000], today
    _changed(session, application, actor, "reply", outcome=outcome)


def reveal_id(session: Session, application: Application, key: str, actor: str) -> str:
    """The full identity number, for a county admin; every view is in the audit log."""
    number = decrypt(key, application.id_cipher)
    record(
        session,
        actor,
        "application.id_view",
        f"application:{application.number}",
        None,
        {"viewed": True},
    )
    return number


def status_document(application: Application) -> dict[str, Any]:
    return {
        "seq": application.seq,
        "number": application.number,
        "state": application.state,
        "received_on": application.clock_from.isoformat(),
        "due_on": application.due_on.isoformat() if application.due_on else None,
        "extended": application.extended,
        "outcome": application.outcome,
        "answered_on": application.answered_on.isoformat() if application.answered_on else None,
    }


def feed_statuses(session: Session, after: int, limit: int = MAX_ANSWERS) -> list[dict[str, Any]]:
    """Every application's status after `after`, for every hall: numbers and dates only,
    so a resident can look one up at any kiosk of the county."""
    query = select(Application).where(Application.seq > after).order_by(Application.seq)
    return [status_document(found) for found in session.scalars(query.limit(limit))]


def state_label(application: Application) -> str:
    return STATES[application.state]


def today_in(zone: ZoneInfo) -> date:
    return utcnow().astimezone(zone).date()
