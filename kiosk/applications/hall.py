"""Hall: an information application from the guided form, its receipt number, and what the
hall keeps of it: once the centre has acknowledged the outbox record, its identity number
and contact details are wiped from the hall's database (the centre holds them)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from kiosk.applications.identity import resident_id
from kiosk.applications.models import DELIVERY, ApplicationStatus, HallApplication
from kiosk.catalog.services import get_visible_item
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.outbox.models import OutboxEntry
from kiosk.outbox.services import enqueue
from kiosk.usage.services import PHONE

KIND = "application"
APPLICANT_KINDS = ("公民", "法人或其他组织")
ID_KINDS = ("居民身份证", "其他有效证件", "统一社会信用代码")
PERSONAL = ("applicant", "id_number", "phone", "address", "email")
OTHER_ID = re.compile(r"[0-9A-Za-z]{6,30}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _text(values: Mapping[str, Any], name: str, label: str, maximum: int, minimum: int = 1) -> str:
    value = str(values.get(name) or "").strip()
    if len(value) < minimum:
        raise InputError(f"请填写{label}。" if not value else f"{label}至少 {minimum} 个字。", name)
    if len(value) > maximum:
        raise InputError(f"{label}最多 {maximum} 个字。", name)
    return value


def _choice(values: Mapping[str, Any], name: str, label: str, allowed: tuple[str, ...]) -> str:
    value = str(values.get(name) or "")
    if value not in allowed:
        raise InputError(f"请选择{label}：{'、'.join(allowed)}。", name)
    return value


def clean_application(session: Session, values: Mapping[str, Any], region: str) -> dict[str, Any]:
    """The form's fields checked as 条例 art. 29 asks, or InputError naming the field."""
    kind = _choice(values, "applicant_kind", "申请人类型", APPLICANT_KINDS)
    id_kind = _choice(values, "id_kind", "证件类型", ID_KINDS)
    raw_id = _text(values, "id_number", "证件号码", 30)
    if id_kind == "居民身份证":
        number = resident_id(raw_id)
    elif OTHER_ID.fullmatch(raw_id.replace(" ", "")):
        number = raw_id.replace(" ", "").upper()
    else:
        raise InputError("证件号码只能由 6 到 30 位数字和字母组成。", "id_number")
    phone = re.sub(r"\D", "", str(values.get("phone") or ""))
    if not PHONE.fullmatch(phone):
        raise InputError(
            "联系电话不对：手机号是 1 开头的 11 位数字，座机号以 0 开头（含区号）。", "phone"
        )
    delivery = _choice(values, "delivery", "获取信息的方式", DELIVERY)
    address = str(values.get("address") or "").strip()[:300]
    email = str(values.get("email") or "").strip()[:200]
    if delivery == "纸质" and not address:
        raise InputError("选择纸质答复的，请填写邮寄地址。", "address")
    if delivery == "电子邮件" and not EMAIL.fullmatch(email):
        raise InputError("选择电子邮件答复的，请填写正确的电子邮箱。", "email")
    item_code = str(values.get("item_code") or "")
    if item_code and get_visible_item(session, item_code, region) is None:
        raise InputError("所选的公开事项本大厅没有。", "item_code")
    return {
        "applicant_kind": kind,
        "applicant": _text(values, "applicant", "姓名或单位名称", 200),
        "id_kind": id_kind,
        "id_number": number,
        "phone": phone,
        "address": address,
        "email": email,
        "description": _text(values, "description", "所需信息的内容描述", 2000, 4),
        "item_code": item_code,
        "delivery": delivery,
        "filled_by": str(values.get("filled_by") or "").strip()[:64],
    }


def new_number(session: Session, today: date) -> str:
    """The date and six random digits: 20261202483920."""
    while True:
        number = today.strftime("%Y%m%d") + "".join(secrets.choice("0123456789") for _ in range(6))
        taken = session.scalar(select(HallApplication.id).where(HallApplication.number == number))
        if taken is None:
            return number


def grouped(number: str) -> str:
    return f"{number[:8]}-{number[8:]}" if len(number) == 14 else number


def clean_number(typed: str) -> str:
    digits = "".join(ch for ch in typed if ch.isascii() and ch.isdigit())
    if len(digits) != 14:
        raise InputError("申请编号是 14 位数字（回执上印的），请核对后再输入。", "number")
    return digits


def submit_application(
    session: Session, values: Mapping[str, Any], region: str, zone: ZoneInfo
) -> HallApplication:
    """Send an application up (outbox) and keep its receipt; the hall keeps no personal
    data beyond the outbox record, which is wiped when the centre acknowledges it."""
    document = clean_application(session, values, region)
    now = utcnow()
    number = new_number(session, now.astimezone(zone).date())
    enqueue(session, KIND, {**document, "number": number, "submitted_at": now.isoformat()})
    receipt = HallApplication(
        number=number,
        item_code=document["item_code"],
        delivery=document["delivery"],
        submitted_at=now,
    )
    session.add(receipt)
    session.flush()
    return receipt


def wipe_acknowledged(session: Session) -> int:
    """Remove identity numbers and contacts from applications the centre holds; SQLite's
    secure_delete overwrites the freed bytes, so the file keeps no copy."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))
    sent = session.scalars(
        select(OutboxEntry).where(OutboxEntry.kind == KIND, OutboxEntry.sent_at.is_not(None))
    )
    wiped = 0
    for entry in sent:
        if any(entry.payload.get(field) for field in PERSONAL):
            entry.payload = {
                key: ("" if key in PERSONAL else value) for key, value in entry.payload.items()
            }
            wiped += 1
    return wiped


def flush_wal(engine: Engine) -> None:
    """After a wipe: copy SQLite's write-ahead log into the file and empty it, so no old
    page with a wiped number stays in the -wal file."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def status_of(
    session: Session, number: str
) -> tuple[ApplicationStatus | None, HallApplication | None]:
    return session.get(ApplicationStatus, number), session.scalar(
        select(HallApplication).where(HallApplication.number == number)
    )


def apply_statuses(session: Session, documents: list[dict[str, Any]]) -> None:
    """Keep the statuses a feed page brought (validated against ApplicationStatus)."""
    for document in documents:
        status = session.get(ApplicationStatus, document["number"])
        if status is None:
            status = ApplicationStatus(number=document["number"])
            session.add(status)
        status.state = document["state"]
        status.received_on = date.fromisoformat(document["received_on"])
        status.due_on = date.fromisoformat(document["due_on"]) if document["due_on"] else None
        status.extended = document["extended"]
        status.outcome = document["outcome"]
        answered = document["answered_on"]
        status.answered_on = date.fromisoformat(answered) if answered else None
    session.flush()
