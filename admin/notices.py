"""Notices (通知公告, 村务公开) posted by hall managers, with review by other staff."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin.auth import current_user, require_role
from admin.changes import commit_change
from admin.nav import add_admin_link
from kiosk.notices.models import Notice
from kiosk.notices.services import (
    BODY_MAX,
    NOTICE_KINDS,
    TITLE_MAX,
    all_notices,
    approve_notice,
    create_notice,
    reject_notice,
    update_notice,
    withdraw_notice,
)
from kiosk.settings import hall_zone
from kiosk.web import db_session

blueprint = Blueprint("admin_notices", __name__, url_prefix="/admin/notices")
STATE_LABELS = {"published": "已发布", "pending": "待审核", "rejected": "已退回"}


class NoticeForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired(), Length(max=TITLE_MAX)])
    kind = SelectField("类别", choices=list(NOTICE_KINDS))
    body = TextAreaField("正文", validators=[DataRequired(), Length(max=BODY_MAX)])
    publisher = StringField("发布单位", validators=[Length(max=200)])
    region = StringField("区域（留空为本大厅）", validators=[Length(max=200)])
    published_at = DateTimeLocalField("发布时间（留空为现在）", validators=[Optional()])
    expires_at = DateTimeLocalField("公示截止（可不填）", validators=[Optional()])


class ActionForm(FlaskForm):
    """Only the CSRF token: approve, reject, withdraw."""


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_admin_link(app, "admin_notices.index", "通知公告")


def _steps() -> int:
    return current_app.config["KIOSK_SIGNAGE_REVIEW_STEPS"]


def _utc(local: datetime | None) -> datetime | None:
    """Form times are the hall's wall-clock time."""
    return local.replace(tzinfo=hall_zone(current_app.config)) if local else None


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(hall_zone(current_app.config)).replace(tzinfo=None) if moment else None


def _values(form: NoticeForm) -> dict:
    return {
        "title": form.title.data,
        "kind": form.kind.data,
        "body": form.body.data,
        "publisher": form.publisher.data,
        "region": form.region.data,
        "published_at": _utc(form.published_at.data),
        "expires_at": _utc(form.expires_at.data),
    }


@blueprint.get("/")
@require_role("viewer")
def index():
    region = current_app.config["KIOSK_REGION"]
    return render_template(
        "admin/notices/index.html",
        notices=all_notices(db_session(), region),
        labels=STATE_LABELS,
        steps=_steps(),
        action=ActionForm(),
        local=_local,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@require_role("hall_manager")
def new():
    return _save(NoticeForm(), None)


@blueprint.route("/<int:notice_id>/edit", methods=["GET", "POST"])
@require_role("hall_manager")
def edit(notice_id: int):
    notice = db_session().get(Notice, notice_id)
    if notice is None:
        abort(404)
    form = NoticeForm(
        data={
            "title": notice.title,
            "kind": notice.kind,
            "body": notice.body,
            "publisher": notice.publisher,
            "region": notice.region,
            "published_at": _local(notice.published_at),
            "expires_at": _local(notice.expires_at),
        }
    )
    return _save(form, notice_id)


def _save(form: NoticeForm, notice_id: int | None):
    database, region, actor = db_session(), current_app.config["KIOSK_REGION"], current_user().name
    if form.validate_on_submit():

        def change() -> Notice:
            if notice_id is None:
                return create_notice(database, _values(form), actor, region, _steps())
            return update_notice(database, notice_id, _values(form), actor, region, _steps())

        if commit_change(
            database,
            change,
            lambda notice: f"已保存：{notice.title}（{STATE_LABELS[notice.state]}）",
        ):
            return redirect(url_for("admin_notices.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/notices/form.html", form=form, notice_id=notice_id), status


def _act(notice_id: int, action, done: str):
    database = db_session()
    if not ActionForm().validate_on_submit():
        abort(400)
    commit_change(
        database, lambda: action(database, notice_id), lambda notice: f"{done}：{notice.title}"
    )
    return redirect(url_for("admin_notices.index"))


@blueprint.post("/<int:notice_id>/approve")
@require_role("hall_manager")
def approve(notice_id: int):
    return _act(
        notice_id,
        lambda database, nid: approve_notice(database, nid, current_user().name, _steps()),
        "已审核",
    )


@blueprint.post("/<int:notice_id>/reject")
@require_role("hall_manager")
def reject(notice_id: int):
    return _act(
        notice_id, lambda database, nid: reject_notice(database, nid, current_user().name), "已退回"
    )


@blueprint.post("/<int:notice_id>/withdraw")
@require_role("hall_manager")
def withdraw(notice_id: int):
    return _act(
        notice_id,
        lambda database, nid: withdraw_notice(database, nid, current_user().name),
        "已撤下",
    )
