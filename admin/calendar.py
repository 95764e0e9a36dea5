"""工作日历 at the centre: the holiday calendar the working-day clocks count by (questions,
information applications), replaced by a county admin each year from the State Council's
notice, 调休 working weekends included."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from admin.nav import add_admin_link
from kiosk.accounts.auth import acting_user, require_role
from kiosk.audit.services import record
from kiosk.forms import Form
from kiosk.holidays import (
    DEFAULT_FILE,
    Calendar,
    calendar_path,
    replace_calendar,
    working_calendar,
)
from kiosk.web import db_session, form_change

blueprint = Blueprint("admin_calendar", __name__, url_prefix="/admin/calendar")


class CalendarForm(Form):
    text = TextAreaField(
        "日历内容（每行：日期,安排,说明；安排填“休”或“班”）", validators=[DataRequired()]
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    if app.config["KIOSK_ROLE"] == "central":
        add_admin_link(app, "admin_calendar.index", "工作日历", "county_admin")


@blueprint.before_request
def central_only() -> None:
    if current_app.config["KIOSK_ROLE"] != "central":
        abort(404)


def _replace(text: str) -> Calendar:
    calendar = replace_calendar(current_app.config, text)
    record(
        db_session(),
        acting_user().name,
        "holidays.update",
        "holidays",
        None,
        {"days": len(calendar.special), "years": calendar.years()},
    )
    return calendar


@blueprint.route("/", methods=["GET", "POST"])
@require_role("county_admin")
def index() -> ResponseReturnValue:
    config = current_app.config
    form = CalendarForm()
    if form.validate_on_submit():
        if form_change(form, lambda: _replace(form.text.data)) is not None:
            flash("工作日历已更新，答复期限和办理期限按新日历计算。", "ok")
            return redirect(url_for("admin_calendar.index"), 303)
    path = calendar_path(config)
    if not form.text.data:
        form.text.data = path.read_text(encoding="utf-8-sig")
    calendar = working_calendar(config)
    return render_template(
        "admin/calendar.html",
        form=form,
        calendar=calendar,
        days=sorted(calendar.special.items()),
        shipped=path == DEFAULT_FILE,
    )
