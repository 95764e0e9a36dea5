"""The items list with filters and search, its export, the item form, 公开状态 with a
reason, and each item's history."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlencode

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute
from wtforms.fields.choices import SelectChoice

from admin.catalog import blueprint, review_steps
from admin.catalog.attachments import limit_mb
from admin.catalog.forms import (
    AttachmentForm,
    ItemFilterForm,
    StatusForm,
    item_form_class,
    options,
    region_choices,
)
from kiosk.accounts.auth import acting_user, require_role
from kiosk.catalog.attachments import KIND_LABELS
from kiosk.catalog.desk import items as desk_items
from kiosk.catalog.desk.models import VERSION_ACTIONS
from kiosk.catalog.desk.plan import diff
from kiosk.catalog.desk.versions import SOURCE_LABELS, history
from kiosk.catalog.elements import ALL_ELEMENTS
from kiosk.catalog.models import Item
from kiosk.catalog.services import item_values
from kiosk.errors import InputError
from kiosk.exports import csv_download, xlsx_download
from kiosk.forms import Form
from kiosk.regions.services import active_regions
from kiosk.review.models import Review
from kiosk.settings import hall_zone
from kiosk.web import db_session, discard_changes

PAGE = 100


def _choices(column: InstrumentedAttribute[str]) -> list[SelectChoice]:
    values = db_session().scalars(select(column).distinct().order_by(column))
    return options([value for value in values if value], "全部")


def _filters() -> ItemFilterForm:
    form = ItemFilterForm(request.args)
    form.region.choices = region_choices(active_regions(db_session()), "全部")
    form.domain.choices = _choices(Item.domain)
    form.item_type.choices = _choices(Item.item_type)
    return form


def _query(form: ItemFilterForm) -> Select[Item]:
    since = None
    if form.since.data:  # from the start of that day, the hall's local time
        since = datetime.combine(form.since.data, time.min, hall_zone(current_app.config))
    return desk_items.find_items(
        region=form.region.data or "",
        domain=form.domain.data or "",
        status=form.status.data or "",
        item_type=form.item_type.data or "",
        since=since,
        text=form.q.data or "",
    )


@blueprint.get("/items/")
@require_role("county_admin")
def items() -> ResponseReturnValue:
    form = _filters()
    query = _query(form)
    total = db_session().scalar(select(func.count()).select_from(query.subquery()))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    shown = list(db_session().scalars(query.limit(PAGE).offset((page - 1) * PAGE)))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/catalog/items.html",
        form=form,
        items=shown,
        total=total,
        page=page,
        pages=max((total or 0) + PAGE - 1, PAGE) // PAGE,
        args=urlencode(args),
    )


@blueprint.get("/items/export.<any(xlsx, csv):kind>")
@require_role("county_admin")
def export(kind: str) -> ResponseReturnValue:
    form = _filters()
    header = [element.label for element in ALL_ELEMENTS]
    rows = (
        [getattr(item, element.field) for element in ALL_ELEMENTS]
        for item in db_session().scalars(_query(form))
    )
    if kind == "csv":
        return csv_download("政务公开事项.csv", header, rows)
    return xlsx_download("政务公开事项.xlsx", "政务公开事项", header, rows)


def _item_page(
    code: str, form: Form, status_form: StatusForm, status: int = 200
) -> ResponseReturnValue:
    item = desk_items.get_item(db_session(), code)
    return (
        render_template(
            "admin/catalog/item.html",
            item=item,
            form=form,
            status_form=status_form,
            elements=ALL_ELEMENTS,
            pending=desk_items.pending_edits(db_session(), code),
            steps=review_steps(),
            attachment_form=AttachmentForm(),
            attachment_kinds=KIND_LABELS,
            attachment_limit=limit_mb(),
        ),
        status,
    )


def _item_form(code: str) -> Form:
    form_class = item_form_class(active_regions(db_session()))
    item = desk_items.get_item(db_session(), code)
    return form_class(data=item_values(item)) if request.method == "GET" else form_class()


def _said(done: Review | None, what: str) -> None:
    if done is None:
        flash("没有修改任何内容。", "ok")
    elif done.status == "approved":
        flash(f"已保存：{what}", "ok")
    else:
        flash(f"已送审：{what}，须由其他工作人员在“审核”页批准后才生效", "ok")


@blueprint.route("/items/<code>", methods=["GET", "POST"])
@require_role("county_admin")
def item(code: str) -> ResponseReturnValue:
    form = _item_form(code)
    status_form = StatusForm(
        prefix="new", data={"status": desk_items.get_item(db_session(), code).status}
    )
    if request.method == "POST" and form.validate_on_submit():
        values = {e.field: form[e.field].data for e in ALL_ELEMENTS if e.field != "code"}

        try:
            done = desk_items.submit_edit(
                db_session(), code, values, acting_user().name, review_steps()
            )
        except InputError as error:
            discard_changes()
            problems = getattr(error, "problems", None) or {"": str(error)}
            for field, reason in problems.items():
                if field:
                    form[field].errors = [*form[field].errors, reason]
                else:
                    form.form_errors.append(reason)
            return _item_page(code, form, status_form, 400)
        _said(done, values["name"])
        return redirect(url_for("admin_catalog.item", code=code), 303)
    return _item_page(code, form, status_form, 400 if request.method == "POST" else 200)


@blueprint.post("/items/<code>/status")
@require_role("county_admin")
def status(code: str) -> ResponseReturnValue:
    form = StatusForm(prefix="new")
    if not form.validate_on_submit():
        raise InputError("请选择新的公开状态并写明原因。", "reason")
    done = desk_items.submit_status(
        db_session(), code, form.status.data, form.reason.data, acting_user().name, review_steps()
    )
    _said(done, f"{code} 的公开状态改为“{form.status.data}”")
    return redirect(url_for("admin_catalog.item", code=code), 303)


@blueprint.get("/items/<code>/history")
@require_role("county_admin")
def item_history(code: str) -> ResponseReturnValue:
    versions = history(db_session(), code)
    held = db_session().scalar(select(Item).where(Item.code == code))
    if not versions and held is None:
        raise InputError(f"没有编码为 {code} 的事项。")
    rows = []
    for index, version in enumerate(versions):
        older = versions[index + 1].values if index + 1 < len(versions) else None
        rows.append((version, diff(older, version.values) if older else []))
    return render_template(
        "admin/catalog/history.html",
        code=code,
        item=held,
        rows=rows,
        actions=VERSION_ACTIONS,
        sources=SOURCE_LABELS,
    )
