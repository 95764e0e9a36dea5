"""Centre: the queue of residents' questions, answers through review, and the answers
each hall's feed carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.answers.hall import apply_answers
from kiosk.answers.models import ANSWER_STATES, Answer
from kiosk.audit.services import record
from kiosk.catalog.models import Item
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.holidays import Calendar
from kiosk.regions.services import lineage
from kiosk.review import services as review
from kiosk.review.models import Review
from kiosk.sync.changes import next_seq
from kiosk.sync.feed_sections import MAX_ANSWERS
from kiosk.sync.models import ReceivedRecord, SyncNode

QUESTION_KIND = "usage.question"
QUESTION_MAX, BODY_MAX, DEPARTMENT_MAX = 500, 3000, 200


def mask_phone(phone: str) -> str:
    """138****1234: the first three and last four digits; short numbers all masked."""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


@dataclass(frozen=True)
class QueueRow:
    record: ReceivedRecord
    hall: str
    item_name: str
    answer: Answer | None
    draft: Review | None  # the submission waiting for review, if any
    due: date
    overdue: bool

    @property
    def phone_masked(self) -> str:
        return mask_phone(str(self.record.payload.get("phone") or ""))

    @property
    def state(self) -> str:
        if self.draft is not None:
            return "待审核"
        if self.answer is not None:
            return ANSWER_STATES[self.answer.state]
        return "待答复"


def asked_day(record: ReceivedRecord, zone: ZoneInfo) -> date:
    return (record.created_at or record.received_at).astimezone(zone).date()


def _open(answer: Answer | None) -> bool:
    return answer is None or answer.state != "published"


def question_queue(
    session: Session,
    calendar: Calendar,
    days: int,
    zone: ZoneInfo,
    *,
    open_only: bool = True,
    limit: int = 300,
) -> list[QueueRow]:
    """The questions the halls sent up, oldest unanswered first when `open_only`."""
    query = (
        select(ReceivedRecord, SyncNode.name, Item.name, Answer)
        .join(SyncNode, SyncNode.id == ReceivedRecord.node_id)
        .outerjoin(Answer, Answer.record_id == ReceivedRecord.id)
        .outerjoin(Item, Item.code == ReceivedRecord.payload["item_code"].as_string())
        .where(ReceivedRecord.kind == QUESTION_KIND)
    )
    if open_only:
        query = query.where(or_(Answer.id.is_(None), Answer.state != "published"))
        query = query.order_by(ReceivedRecord.received_at, ReceivedRecord.id)
    else:
        query = query.order_by(ReceivedRecord.received_at.desc(), ReceivedRecord.id.desc())
    today = utcnow().astimezone(zone).date()
    rows = []
    for found, hall, item_name, answer in session.execute(query.limit(limit)):
        due = calendar.add_working_days(asked_day(found, zone), days)
        drafts = review.pending_for(session, "answer", answer.id) if answer else []
        rows.append(
            QueueRow(
                found,
                hall,
                item_name or "",
                answer,
                drafts[0] if drafts else None,
                due,
                _open(answer) and today > due,
            )
        )
    return rows


def overdue_count(session: Session, calendar: Calendar, days: int, zone: ZoneInfo) -> int:
    rows = question_queue(session, calendar, days, zone, limit=100_000)
    return sum(row.overdue for row in rows)


def get_question(session: Session, record_id: int) -> ReceivedRecord:
    found = session.get(ReceivedRecord, record_id)
    if found is None or found.kind != QUESTION_KIND:
        raise InputError(f"没有编号为 {record_id} 的群众提问。")
    return found


def answer_of(session: Session, record_id: int) -> Answer | None:
    return session.scalar(select(Answer).where(Answer.record_id == record_id))


def reveal_phone(session: Session, record_id: int, actor: str) -> str:
    """The full number, for a county admin; every view is in the audit log."""
    question = get_question(session, record_id)
    record(session, actor, "question.phone_view", f"question:{question.id}", None, {"viewed": True})
    return str(question.payload.get("phone") or "")


def _text(value: Any, label: str, maximum: int, field: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise InputError(f"请填写{label}。", field)
    if len(text) > maximum:
        raise InputError(f"{label}最多 {maximum} 个字。", field)
    return text


def submit_answer(
    session: Session, record_id: int, values: dict[str, Any], actor: str, steps: int
) -> Answer:
    """Put an answer up for review (KIOSK_REVIEW_STEPS); it reaches halls when approved."""
    question = get_question(session, record_id)
    content: dict[str, Any] = {
        "question": _text(
            values.get("question"), "问题（群众看到的写法）", QUESTION_MAX, "question"
        ),
        "body": _text(values.get("body"), "答复内容", BODY_MAX, "body"),
        "department": _text(values.get("department"), "答复部门", DEPARTMENT_MAX, "department"),
        "public": bool(values.get("public")),
        "item_code": str(question.payload.get("item_code") or ""),
    }
    answer = answer_of(session, record_id)
    if answer is None:
        answer = Answer(
            record_id=question.id,
            node_id=question.node_id,
            item_code=content["item_code"],
            reply_code=str(question.payload.get("reply_code") or "")[:16],
            question="",
            body="",
            department="",
            asked_at=question.created_at,
            written_by=actor,
        )
        session.add(answer)
        session.flush()
    elif answer.state != "published":
        answer.state = "pending"
    answer.written_by = actor
    shown = "公开" if content["public"] else "仅答复提问人"
    review.submit(
        session,
        "answer",
        answer.id,
        f"群众咨询答复（{shown}）：{content['question'][:60]}",
        content,
        actor=actor,
        steps=steps,
    )
    return answer


def _answer(session: Session, item: Review) -> Answer:
    found = session.get(Answer, int(item.subject_id))
    if found is None:
        raise InputError("这条答复已不存在。")
    return found


def _published(session: Session, item: Review, _actor: str) -> None:
    answer = _answer(session, item)
    content = item.content
    answer.question, answer.body = content["question"], content["body"]
    answer.department, answer.public = content["department"], content["public"]
    answer.state, answer.answered_at = "published", utcnow()
    answer.seq = next_seq(session)  # the halls' feeds carry it from this number on
    # The centre's own resident pages (the public site phones open) hold it as a hall would.
    apply_answers(session, [answer_document(answer)])


def _not_published(state: str) -> review.Step:
    def step(session: Session, item: Review, _actor: str) -> None:
        answer = _answer(session, item)
        if answer.seq is None:  # an answer already out stays out as it was approved
            answer.state = state

    return step


review.register_kind(
    review.ReviewKind(
        "answer",
        "群众咨询答复",
        publish=_published,
        rejected=_not_published("rejected"),
        withdrawn=_not_published("withdrawn"),
    )
)


def answer_document(answer: Answer) -> dict[str, Any]:
    answered = answer.answered_at or utcnow()
    return {
        "seq": answer.seq,
        "id": answer.id,
        "reply_code": answer.reply_code,
        "item_code": answer.item_code,
        "question": answer.question,
        "answer": answer.body,
        "department": answer.department,
        "public": answer.public,
        "asked_at": answer.asked_at.isoformat() if answer.asked_at else None,
        "answered_at": answered.isoformat(),
    }


def feed_answers(
    session: Session, node: SyncNode, after: int, limit: int = MAX_ANSWERS
) -> list[dict[str, Any]]:
    """The published answers a node receives after `after` (its answers cursor, the `seq`
    of the last one it holds): public ones of items in its scope, and every answer to a
    question it asked."""
    in_scope = select(Item.code).where(Item.region.in_(lineage(node.region)))
    found = list(
        session.scalars(
            select(Answer)
            .where(
                Answer.seq > after,
                Answer.state == "published",
                or_(
                    Answer.node_id == node.id,
                    Answer.public.is_(True) & Answer.item_code.in_(in_scope),
                ),
            )
            .order_by(Answer.seq)
            .limit(limit)
        )
    )
    return [answer_document(answer) for answer in found]
