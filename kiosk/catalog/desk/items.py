"""Item edits and status changes at the desk: checked as the importer checks a row, and
(with KIOSK_REVIEW_STEPS > 0) applied only when other staff approve the same diff."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from kiosk.catalog.desk.plan import diff
from kiosk.catalog.desk.versions import Source, changes_from
from kiosk.catalog.elements import ALL_ELEMENTS, BY_FIELD, ITEM_FIELDS, STATUSES
from kiosk.catalog.importing.header import Column
from kiosk.catalog.importing.rows import Row
from kiosk.catalog.importing.tables import Sheet
from kiosk.catalog.importing.validate import validate_row
from kiosk.catalog.models import Item
from kiosk.catalog.services import item_values, upsert_item
from kiosk.catalog.text import simplified
from kiosk.errors import InputError
from kiosk.regions.services import check_region
from kiosk.review import services as review
from kiosk.review.models import Review

KIND = "catalog_item"
FORM_SHEET = "表单"
REASON_MAX = 500


class ItemInvalid(InputError):
    """The form's values break the import rules; `problems` maps field to reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("有 {} 处要改正：{}".format(len(problems), "；".join(problems.values())))
        self.problems = problems


def get_item(session: Session, code: str) -> Item:
    item = session.scalar(select(Item).where(Item.code == code))
    if item is None:
        raise InputError(f"没有编码为 {code} 的事项。")
    return item


def checked_values(session: Session, values: Mapping[str, str]) -> dict[str, str]:
    """The values as the importer would store them (canonical choices, region, level)."""
    sources = {
        e.field: Column(0, e.label, e.label, e.field) for e in ALL_ELEMENTS if e.field != "code"
    }
    written = {field: str(values.get(field, "") or "").strip() for field in ITEM_FIELDS}
    row = Row(Sheet(FORM_SHEET, [list(written.values())]), 0, False, dict(written), sources)
    canonical, _belongs = validate_row(row, "", set())
    field_of = {column.describe(): field for field, column in sources.items()}
    problems: dict[str, str] = {}
    for problem in row.errors:
        field = field_of.get(problem.column, "")
        label = BY_FIELD[field].label if field else FORM_SHEET
        problems.setdefault(field, f"{label}：{problem.reason}")
    if "region" not in problems and canonical["region"]:
        try:
            canonical["region"] = check_region(session, canonical["region"], "region")
        except InputError as error:
            problems["region"] = str(error)
    if problems:
        raise ItemInvalid(problems)
    canonical["code"] = written["code"]
    return canonical


def submit_edit(
    session: Session, code: str, values: Mapping[str, str], actor: str, steps: int
) -> Review | None:
    """Send an edit for review (applied at once with 0 steps); None when nothing changed."""
    item = get_item(session, code)
    after = checked_values(session, {**values, "code": code})
    return _submit(session, item, after, "update", "", actor, steps)


def submit_status(
    session: Session, code: str, status: str, reason: str, actor: str, steps: int
) -> Review | None:
    """Change 公开状态 with a reason: 已公开 → 近期不公开 takes it off every hall."""
    item = get_item(session, code)
    if status not in STATUSES:
        raise InputError(f"“{status}”不是有效的公开状态，请用：{'、'.join(STATUSES)}", "status")
    reason = reason.strip()
    if not reason:
        raise InputError("请写明变更公开状态的原因。", "reason")
    if len(reason) > REASON_MAX:
        raise InputError(f"原因最多 {REASON_MAX} 个字。", "reason")
    after = {**item_values(item), "status": status}
    return _submit(session, item, after, "status", reason, actor, steps)


def _submit(
    session: Session,
    item: Item,
    after: dict[str, str],
    action: str,
    reason: str,
    actor: str,
    steps: int,
) -> Review | None:
    before = item_values(item)
    changes = diff(before, after)
    if not changes:
        return None
    content = {
        "code": item.code,
        "name": after["name"],
        "action": action,
        "reason": reason,
        "before": before,
        "after": after,
        "diff": changes,
    }
    label = "公开状态" if action == "status" else "修改"
    title = f"{label}：{after['name']}（{item.code}）"
    return review.submit(session, KIND, item.code, title, content, actor=actor, steps=steps)


def _publish(session: Session, item: Review, actor: str) -> None:
    content: dict[str, Any] = item.content
    held = get_item(session, content["code"])
    if item_values(held) != content["before"]:
        raise InputError("送审之后这个事项又有了变化，请重新打开事项修改后再送审。")
    approvers = "、".join(step["by"] for step in item.approvals)
    source = Source("form", reason=content["reason"], approved_by=approvers)
    with changes_from(session, source):
        upsert_item(session, content["after"], actor=item.submitted_by)


review.register_kind(review.ReviewKind(KIND, "目录事项", publish=_publish, role="county_admin"))


def find_items(
    region: str = "",
    domain: str = "",
    status: str = "",
    item_type: str = "",
    since: datetime | None = None,
    text: str = "",
) -> Select[Item]:
    """The items list's query: every filter optional; region takes the regions below it."""
    query = select(Item)
    if region:
        query = query.where(or_(Item.region == region, Item.region.startswith(region + "/")))
    exact = ((Item.domain, domain), (Item.status, status), (Item.item_type, item_type))
    for column, value in exact:
        if value:
            query = query.where(column == value)
    if since is not None:
        query = query.where(Item.changed_at >= since)
    if text.strip():
        term = text.strip()
        query = query.where(
            or_(
                Item.code == term,
                Item.name.contains(term),
                Item.search_text.contains(simplified(term)),
            )
        )
    return query.order_by(Item.region, Item.domain, Item.category1, Item.name, Item.code)


def pending_edits(session: Session, code: str) -> list[Review]:
    return review.pending_for(session, KIND, code)
