"""群众咨询 at the centre (/admin/questions/): the questions every hall sent up, answered
and put through review; the full phone number only to county admins, each view logged."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from admin.nav import add_admin_link
from kiosk.accounts.auth import acting_user, require_role
from kiosk.answers.centre import (
    BODY_MAX,
    DEPARTMENT_MAX,
    QUESTION_MAX,
    answer_of,
    asked_day,
    get_question,
    mask_phone,
    question_queue,
    reveal_phone,
    submit_answer,
)
from kiosk.catalog.models import Item
from kiosk.forms import Form
from kiosk.holidays import Calendar, working_calendar
from kiosk.review import services as review
from kiosk.settings import hall_zone
from kiosk.sync.models import SyncNode
from kiosk.web import db_session, form_change

blueprint = Blueprint("admin_questions", __name__, url_prefix="/admin/questions")


class AnswerForm(Form):
    question = TextAreaField(
        "问题（公开时群众看到的写法）", validators=[DataRequired(), Length(max=QUESTION_MAX)]
    )
    body = TextAreaField("答复内容", validators=[DataRequired(), Length(max=BODY_MAX)])
    department = StringField("答复部门", validators=[DataRequired(), Length(max=DEPARTMENT_MAX)])
    public = BooleanField(
        "公开答复：在显示该事项的各大厅“群众咨询”栏目中公开（不公开则只答复提问人）"
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.add_template_filter(mask_phone, "phone_masked")
    if app.config["KIOSK_ROLE"] == "central":
        add_admin_link(app, "admin_questions.index", "群众咨询", "viewer")


@blueprint.before_request
def central_only() -> None:
    if current_app.config["KIOSK_ROLE"] != "central":
        abort(404)


def _clock() -> tuple[Calendar, int, ZoneInfo]:
    config = current_app.config
    return working_calendar(config), config["KIOSK_ANSWER_DAYS"], hall_zone(config)


@blueprint.get("/")
@require_role("viewer")
def index() -> ResponseReturnValue:
    everything = request.args.get("all") == "1"
    calendar, days, zone = _clock()
    return render_template(
        "admin/questions/index.html",
        rows=question_queue(db_session(), calendar, days, zone, open_only=not everything),
        everything=everything,
        days=days,
    )


@blueprint.route("/<id:record_id>", methods=["GET", "POST"])
@require_role("hall_manager")
def answer(record_id: int) -> ResponseReturnValue:
    session = db_session()
    question = get_question(session, record_id)
    existing = answer_of(session, record_id)
    drafts = review.pending_for(session, "answer", existing.id) if existing else []
    item = session.scalar(select(Item).where(Item.code == question.payload.get("item_code", "")))
    form = AnswerForm()
    if request.method == "GET":
        source = drafts[0].content if drafts else None
        if source is not None:
            form.question.data, form.body.data = source["question"], source["body"]
            form.department.data, form.public.data = source["department"], source["public"]
        elif existing is not None and existing.state == "published":
            form.question.data, form.body.data = existing.question, existing.body
            form.department.data, form.public.data = existing.department, existing.public
        else:
            name = item.name if item is not None else question.payload.get("item_code", "")
            form.question.data = f"关于“{name}”：{question.payload.get('value', '')}"
            form.department.data = item.publisher if item is not None else ""
    if form.validate_on_submit():
        done = form_change(
            form,
            lambda: submit_answer(
                session,
                record_id,
                form.data,
                acting_user().name,
                current_app.config["KIOSK_REVIEW_STEPS"],
            ),
        )
        if done is not None:
            flash(
                "答复已发布，随下一次同步到达各大厅。"
                if done.state == "published"
                else "答复已提交审核，审核通过后随同步到达各大厅。",
                "ok",
            )
            return redirect(url_for("admin_questions.index"), 303)
    _calendar, _days, zone = _clock()
    return render_template(
        "admin/questions/answer.html",
        question=question,
        hall=session.get(SyncNode, question.node_id),
        item=item,
        asked=asked_day(question, zone),
        phone=mask_phone(str(question.payload.get("phone") or "")),
        answer=existing,
        draft=drafts[0] if drafts else None,
        form=form,
    )


@blueprint.post("/<id:record_id>/phone")
@require_role("county_admin")
def phone(record_id: int) -> ResponseReturnValue:
    """The full number; a POST, as every view of it is written to the audit log."""
    session = db_session()
    number = reveal_phone(session, record_id, acting_user().name)
    return render_template(
        "admin/questions/phone.html", question=get_question(session, record_id), number=number
    )
