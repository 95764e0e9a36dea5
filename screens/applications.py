"""依申请公开 at the kiosk: the guided application form (条例 art. 29), its receipt with the
application number and QR code, and the status by number (no personal data shown)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from kiosk.applications.hall import (
    APPLICANT_KINDS,
    ID_KINDS,
    clean_number,
    grouped,
    status_of,
    submit_application,
)
from kiosk.applications.models import DELIVERY, OUTCOMES, STATES
from kiosk.catalog.qr import qr_svg
from kiosk.catalog.services import get_visible_item
from kiosk.errors import InputError
from kiosk.settings import hall_zone
from kiosk.web import db_session, discard_changes, public_base
from screens.presentation import hall_region

blueprint = Blueprint("applications", __name__, url_prefix="/apply")


def _region() -> str:
    return current_app.config["KIOSK_REGION"]


def _form(values, error: InputError | None = None, status: int = 200) -> ResponseReturnValue:
    code = values.get("item_code", "")
    item = get_visible_item(db_session(), code, hall_region()) if code else None
    page = render_template(
        "screens/apply.html",
        values=values,
        item=item,
        error=str(error) if error else "",
        error_field=error.field if error else "",
        applicant_kinds=APPLICANT_KINDS,
        id_kinds=ID_KINDS,
        deliveries=DELIVERY,
    )
    return page, status


@blueprint.get("/")
def form() -> ResponseReturnValue:
    return _form({"item_code": request.args.get("item", "")})


@blueprint.post("/")
def submit() -> ResponseReturnValue:
    try:
        receipt = submit_application(
            db_session(), request.form, _region(), hall_zone(current_app.config)
        )
    except InputError as error:
        discard_changes()
        return _form(request.form, error, 400)
    return redirect(url_for("applications.status", number=receipt.number, receipt=1), 303)


def status_address(number: str) -> str:
    return f"{public_base().rstrip('/')}{url_for('applications.status', number=number)}"


@blueprint.get("/status/")
def find() -> ResponseReturnValue:
    typed = request.args.get("number", "")
    if not typed:
        return render_template("screens/apply_find.html", error="", typed="")
    try:
        number = clean_number(typed)
    except InputError as error:
        return render_template("screens/apply_find.html", error=str(error), typed=typed), 400
    return redirect(url_for("applications.status", number=number))


def _number(number: str) -> str:
    try:
        return clean_number(number)
    except InputError:
        abort(404)


@blueprint.get("/status/<number>")
def status(number: str) -> ResponseReturnValue:
    number = _number(number)
    found, receipt = status_of(db_session(), number)
    return render_template(
        "screens/apply_status.html",
        number=number,
        shown=grouped(number),
        status=found,
        receipt=receipt if request.args.get("receipt") == "1" else None,
        sent_here=receipt,
        states=STATES,
        outcomes=OUTCOMES,
        address=status_address(number),
    )


@blueprint.get("/status/<number>/qr.svg")
def qr(number: str) -> ResponseReturnValue:
    response = make_response(qr_svg(status_address(_number(number))))
    response.mimetype = "image/svg+xml"
    return response
