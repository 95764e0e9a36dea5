"""Broadcast admin for hall managers: schedules with a week view, play now, download, log."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from kiosk.accounts.auth import current_user, require_role
from kiosk.broadcast.models import WEEKDAY_LABELS, BroadcastSchedule
from kiosk.broadcast.services import (
    MAX_REPEATS,
    STATUS_LABELS,
    create_schedule,
    delete_schedule,
    list_notices,
    list_schedules,
    notices_by_id,
    queue_play_now,
    recent_runs,
    runs_csv,
    schedule_audio,
    update_schedule,
    week_view,
)
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.forms import Form
from kiosk.settings import hall_zone
from kiosk.speech.engine import SpeechError
from kiosk.web import db_session, form_change, refused

blueprint = Blueprint(
    "broadcast_admin", __name__, url_prefix="/admin/broadcast", template_folder="templates"
)
ROLE = "hall_manager"


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ScheduleForm(Form):
    name = StringField("广播名称", validators=[DataRequired(), Length(max=200)])
    notice_ids = CheckboxesField("播放的公告（按所选顺序朗读）", coerce=int)
    weekdays = CheckboxesField(
        "星期",
        coerce=int,
        choices=[SelectChoice(day, label) for day, label in WEEKDAY_LABELS.items()],
    )
    times = StringField(
        "播放时间（时:分，多个用逗号分隔）", validators=[DataRequired(), Length(max=200)]
    )
    start_date = DateField("开始日期", validators=[DataRequired()])
    end_date = DateField("结束日期（可不填）", validators=[Optional()])
    repeats = IntegerField(
        "每次重复遍数", default=1, validators=[NumberRange(min=1, max=MAX_REPEATS)]
    )
    chime = BooleanField("播放前提示音", default=True)
    volume = IntegerField("音量（10–100）", default=80, validators=[NumberRange(10, 100)])
    active = BooleanField("启用", default=True)


def init_app(app: Flask) -> None:
    from admin.nav import add_admin_link

    app.register_blueprint(blueprint)
    add_admin_link(app, "broadcast_admin.index", "广播", ROLE)
    add_admin_link(app, "broadcast_admin.log", "广播记录", ROLE)


def _form(schedule=None) -> ScheduleForm:
    form = ScheduleForm(obj=schedule)
    if schedule is not None and not form.is_submitted():
        form.weekdays.data = [int(day) for day in schedule.weekdays]
    form.notice_ids.choices = [
        SelectChoice(notice.id, notice.title) for notice in list_notices(db_session())
    ]
    return form


def _values(form: ScheduleForm) -> dict:
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@blueprint.get("/")
@require_role(ROLE)
def index():
    database = db_session()
    schedules = list_schedules(database)
    return render_template(
        "admin/broadcast/index.html",
        schedules=schedules,
        week=week_view(schedules),
        weekday_labels=WEEKDAY_LABELS,
        timezone=current_app.config["KIOSK_TIMEZONE"],
    )


@blueprint.route("/new", methods=["GET", "POST"])
@require_role(ROLE)
def new():
    form = _form()
    if not form.is_submitted():
        form.start_date.data = utcnow().astimezone(hall_zone(current_app.config)).date()
    return _save(form, None)


@blueprint.route("/<id:schedule_id>/edit", methods=["GET", "POST"])
@require_role(ROLE)
def edit(schedule_id: int):
    return _save(_form(_schedule(schedule_id)), schedule_id)


def _schedule(schedule_id: int) -> BroadcastSchedule:
    schedule = db_session().get(BroadcastSchedule, schedule_id)
    if schedule is None:
        abort(404)
    return schedule


def _save(form: ScheduleForm, schedule_id: int | None):
    database = db_session()
    if form.validate_on_submit():

        def change() -> BroadcastSchedule:
            if schedule_id is None:
                return create_schedule(database, _values(form), current_user().name)
            return update_schedule(database, schedule_id, _values(form), current_user().name)

        if form_change(form, change) is not None:
            flash(f"已保存广播 {form.name.data}", "ok")
            return redirect(url_for("broadcast_admin.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/broadcast/form.html", form=form, schedule_id=schedule_id), status


@blueprint.post("/<id:schedule_id>/delete")
@require_role(ROLE)
def delete(schedule_id: int):
    delete_schedule(db_session(), _schedule(schedule_id).id, current_user().name)
    flash("已删除广播（播放记录保留）", "ok")
    return redirect(url_for("broadcast_admin.index"))


@blueprint.post("/<id:schedule_id>/play")
@require_role(ROLE)
def play_now(schedule_id: int):
    queue_play_now(db_session(), _schedule(schedule_id).id, current_user().name)
    flash("已加入播放队列，将在半分钟内播放", "ok")
    return redirect(url_for("broadcast_admin.log"))


@blueprint.post("/<id:schedule_id>/audio")
@require_role(ROLE)
def audio(schedule_id: int):
    """A download that is audited, so it is asked for with a button (POST)."""
    schedule = _schedule(schedule_id)
    try:
        # Synthesis of a few notices takes seconds; only staff wait for it, and then it is
        # cached for the scheduler too.
        path = schedule_audio(current_app, db_session(), schedule.id, current_user().name)
    except SpeechError as error:
        return refused(InputError(f"无法生成音频：{error}"), url_for("broadcast_admin.index"))
    return send_file(
        path,
        mimetype="audio/wav",
        as_attachment=True,
        conditional=True,
        download_name=f"广播-{schedule.name}.wav",
    )


@blueprint.get("/log")
@require_role(ROLE)
def log():
    return render_template(
        "admin/broadcast/log.html", runs=recent_runs(db_session()), status_labels=STATUS_LABELS
    )


@blueprint.get("/log.csv")
@require_role(ROLE)
def log_csv():
    return Response(
        runs_csv(recent_runs(db_session(), limit=100000)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=broadcast-log.csv"},
    )


@blueprint.app_template_filter("notice_titles")
def notice_titles(ids: list[int]) -> str:
    return "；".join(notice.title for notice in notices_by_id(db_session(), ids))
