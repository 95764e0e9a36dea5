"""Hall: the reply code a resident gets when asking, the answers the feed brings, and the
lookup by reply code.

The lookup reads only this hall's database, never the centre: answers come down with the
catalog feed and are kept here, so a resident's code works while the line to the county
is down (the usual case in a village station), costs the centre nothing, and the kiosk
needs no way to the centre but the sync. A private answer therefore shows only at the
hall that asked; a public one at every hall that shows the item.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.answers.models import AskedQuestion, HallAnswer
from kiosk.errors import InputError
from kiosk.usage.services import record_question

CODE_DIGITS = 10  # 10^10 codes: a county's questions of many years never collide by chance


def new_reply_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        if session.scalar(select(AskedQuestion.id).where(AskedQuestion.reply_code == code)) is None:
            return code


def grouped(code: str) -> str:
    """1234567890 → 123 456 7890: read and typed like a phone number."""
    return f"{code[:3]} {code[3:6]} {code[6:]}" if len(code) == CODE_DIGITS else code


def ask(session: Session, item_code: str, topic: str, phone: str) -> AskedQuestion:
    """Record a resident's question (and send it up) with a new reply code."""
    code = new_reply_code(session)
    event = record_question(session, item_code, topic, phone, reply_code=code)
    asked = AskedQuestion(reply_code=code, item_code=item_code, topic=topic, asked_at=event.at)
    session.add(asked)
    session.flush()
    return asked


def clean_code(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    digits += "".join(str(ord(ch) - 0xFF10) for ch in text if "０" <= ch <= "９")
    if len(digits) != CODE_DIGITS:
        raise InputError(
            f"回复码是 {CODE_DIGITS} 位数字，请对照小票或手机上的回复码再输入。", "code"
        )
    return digits


@dataclass(frozen=True)
class Reply:
    code: str
    asked: AskedQuestion | None
    answer: HallAnswer | None


def lookup(session: Session, code: str) -> Reply | None:
    """What this hall knows of a reply code: its answer, or the question still open here;
    None when neither (asked elsewhere and not answered publicly)."""
    asked = session.scalar(select(AskedQuestion).where(AskedQuestion.reply_code == code))
    answer = session.scalar(
        select(HallAnswer).where(HallAnswer.reply_code == code).order_by(HallAnswer.id.desc())
    )
    if asked is None and answer is None:
        return None
    return Reply(code, asked, answer)


def item_answers(session: Session, item_code: str, limit: int = 20) -> list[HallAnswer]:
    """The public answers shown under 群众咨询 on an item's page, newest first."""
    query = select(HallAnswer).where(HallAnswer.item_code == item_code, HallAnswer.public.is_(True))
    return list(session.scalars(query.order_by(HallAnswer.answered_at.desc()).limit(limit)))


def apply_answers(session: Session, documents: list[dict[str, Any]]) -> int:
    """Keep the answers a feed page brought (validated against the API's Answer schema);
    a new version of an answer replaces the old. Returns how many were applied."""
    if not documents:
        return 0
    ids = [document["id"] for document in documents]
    session.execute(delete(HallAnswer).where(HallAnswer.centre_id.in_(ids)))
    for document in documents:
        asked = document["asked_at"]
        session.add(
            HallAnswer(
                centre_id=document["id"],
                reply_code=document["reply_code"],
                item_code=document["item_code"],
                question=document["question"],
                body=document["answer"],
                department=document["department"],
                public=document["public"],
                asked_at=datetime.fromisoformat(asked) if asked else None,
                answered_at=datetime.fromisoformat(document["answered_at"]),
            )
        )
    session.flush()
    return len(documents)
