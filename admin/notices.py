"""Notices (通知公告, 村务公开) posted by hall managers, with review by other staff."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin.nav import add_admin_link
from kiosk.accounts.auth import acting_user, require_role
from kiosk.forms import Form
from kiosk.notices.models import Notice
from kiosk.notices.services import (
    BODY_MAX,
    NOTICE_KINDS,
    TITLE_MAX,
    all_notices,
    create_notice,
    take_down_notice,
    update_notice,
)
from kiosk.settings import hall_zone
from kiosk.web import db_session, form_change

blueprint = Blueprint("admin_notices", __name__, url_prefix="/admin/notices")
STATE_LABELS = {
    "published": "已发布",
    "pending": "待审核",
    "rejected": "已退回",
    "draft": "草稿（已撤回审核）",
}


class NoticeForm(Form):
    title = StringField("标题", validators=[DataRequired(), Length(max=TITLE_MAX)])
    kind = SelectField("类别", choices=list(NOTICE_KINDS))
    body = TextAreaField("正文", validators=[DataRequired(), Length(max=BODY_MAX)])
    publisher = StringField("发布单位", validators=[Length(max=200)])
    region = StringField("区域（留空为本大厅）", validators=[Length(max=200)])
    published_at = DateTimeLocalField("发布时间（留空为现在）", validators=[Optional()])
    expires_at = DateTimeLocalField("公示截止（可不填）", validators=[Optional()])


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_admin_link(app, "admin_notices.index", "通知公告")


def _steps() -> int:
    return current_app.config["KIOSK_REVIEW_STEPS"]


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
    )


@blueprint.route("/new", methods=["GET", "POST"])
@require_role("hall_manager")
def new():
    return _save(NoticeForm(), None)


@blueprint.route("/<id:notice_id>/edit", methods=["GET", "POST"])
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
    database, region, actor = db_session(), current_app.config["KIOSK_REGION"], acting_user().name
    if form.validate_on_submit():

        def change() -> Notice:
            if notice_id is None:
                return create_notice(database, _values(form), actor, region, _steps())
            return update_notice(database, notice_id, _values(form), actor, region, _steps())

        notice = form_change(form, change)
        if notice is not None:
            flash(f"已保存：{notice.title}（{STATE_LABELS[notice.state]}）", "ok")
            return redirect(url_for("admin_notices.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/notices/form.html", form=form, notice_id=notice_id), status


@blueprint.post("/<id:notice_id>/take-down")
@require_role("hall_manager")
def take_down(notice_id: int):
    notice = take_down_notice(db_session(), notice_id, acting_user().name)
    flash(f"已撤下：{notice.title}", "ok")
    return redirect(url_for("admin_notices.index"))
