"""依申请公开 at the centre (/admin/applications/): the register with its statutory clock,
the steps the regulation names, and the identity number unmasked only to county admins,
every view audit-logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

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

from admin.nav import add_admin_link
from kiosk.accounts.auth import acting_user, require_role
from kiosk.applications import centre
from kiosk.applications.models import OUTCOMES, STATES, Application
from kiosk.errors import InputError
from kiosk.holidays import working_calendar
from kiosk.parsing import optional_date
from kiosk.settings import hall_zone
from kiosk.sync.models import SyncNode
from kiosk.web import db_session

blueprint = Blueprint("admin_applications", __name__, url_prefix="/admin/applications")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    if app.config["KIOSK_ROLE"] == "central":
        add_admin_link(app, "admin_applications.index", "依申请公开", "viewer")


@blueprint.before_request
def central_only() -> None:
    if current_app.config["KIOSK_ROLE"] != "central":
        abort(404)


def _today() -> date:
    return centre.today_in(hall_zone(current_app.config))


def _day(text: str) -> date:
    day = optional_date(text, "收到补正的日期", "on")
    if day is None:
        raise InputError("请填写收到补正的日期。", "on")
    return day


@blueprint.get("/")
@require_role("viewer")
def index() -> ResponseReturnValue:
    return render_template(
        "admin/applications/index.html",
        applications=centre.register(db_session()),
        states=STATES,
        overdue=lambda found: centre.is_overdue(found, _today()),
    )


@blueprint.get("/<id:application_id>")
@require_role("viewer")
def show(application_id: int) -> ResponseReturnValue:
    session = db_session()
    found = centre.get_application(session, application_id)
    return render_template(
        "admin/applications/show.html",
        application=found,
        hall=session.get(SyncNode, found.node_id),
        states=STATES,
        outcomes=OUTCOMES,
        needs_detail=centre.NEEDS_DETAIL,
        overdue=centre.is_overdue(found, _today()),
        today=_today(),
    )


def _step(
    application_id: int, change: Callable[[Application], None], done: str
) -> ResponseReturnValue:
    found = centre.get_application(db_session(), application_id)
    change(found)
    flash(done, "ok")
    return redirect(url_for("admin_applications.show", application_id=application_id), 303)


@blueprint.post("/<id:application_id>/extend")
@require_role("hall_manager")
def extend(application_id: int) -> ResponseReturnValue:
    return _step(
        application_id,
        lambda found: centre.extend(
            db_session(),
            found,
            request.form.get("reason", ""),
            working_calendar(current_app.config),
            acting_user().name,
        ),
        "已延期 20 个工作日，请告知申请人延期的理由。",
    )


@blueprint.post("/<id:application_id>/correction")
@require_role("hall_manager")
def correction(application_id: int) -> ResponseReturnValue:
    return _step(
        application_id,
        lambda found: centre.request_correction(
            db_session(), found, request.form.get("note", ""), acting_user().name
        ),
        "已要求申请人补正，答复期限暂停计算。",
    )


@blueprint.post("/<id:application_id>/resume")
@require_role("hall_manager")
def resume(application_id: int) -> ResponseReturnValue:
    return _step(
        application_id,
        lambda found: centre.correction_received(
            db_session(),
            found,
            _day(request.form.get("on", "")),
            working_calendar(current_app.config),
            acting_user().name,
        ),
        "已登记收到补正，答复期限从收到补正之日重新计算。",
    )


@blueprint.post("/<id:application_id>/reply")
@require_role("hall_manager")
def reply(application_id: int) -> ResponseReturnValue:
    return _step(
        application_id,
        lambda found: centre.reply(
            db_session(),
            found,
            request.form.get("outcome", ""),
            request.form.get("detail", ""),
            _today(),
            acting_user().name,
        ),
        "已登记答复，申请人凭申请编号可在查询机上看到结果。",
    )


@blueprint.post("/<id:application_id>/id")
@require_role("county_admin")
def identity(application_id: int) -> ResponseReturnValue:
    """The full identity number; a POST, as every view is written to the audit log."""
    session = db_session()
    found = centre.get_application(session, application_id)
    number = centre.reveal_id(
        session, found, current_app.config["KIOSK_DATA_KEY"], acting_user().name
    )
    return render_template("admin/applications/identity.html", application=found, number=number)
