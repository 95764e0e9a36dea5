"""查回复: the reply code a resident gets when asking, and the lookup page (also the
address of the code's QR, opened on a phone). Reads only this hall's database."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from kiosk.answers.hall import clean_code, grouped, item_answers, lookup
from kiosk.catalog.qr import qr_svg
from kiosk.errors import InputError
from kiosk.web import db_session, public_base

blueprint = Blueprint("replies", __name__, url_prefix="/replies")


def reply_address(code: str) -> str:
    """Where the resident's phone opens the reply (KIOSK_PUBLIC_URL, else this hall)."""
    return f"{public_base().rstrip('/')}{url_for('replies.show', code=code)}"


@blueprint.app_template_global()
def answers_of(item_code: str) -> list:
    """The public answers an item page shows under 群众咨询."""
    return item_answers(db_session(), item_code)


@blueprint.get("/")
def find() -> ResponseReturnValue:
    typed = request.args.get("code", "")
    if not typed:
        return render_template("screens/replies_find.html", error="")
    try:
        code = clean_code(typed)
    except InputError as error:
        return render_template("screens/replies_find.html", error=str(error), typed=typed), 400
    return redirect(url_for("replies.show", code=code))


@blueprint.get("/<code>")
def show(code: str) -> ResponseReturnValue:
    try:
        code = clean_code(code)
    except InputError:
        abort(404)
    return render_template(
        "screens/reply.html",
        reply=lookup(db_session(), code),
        code=code,
        shown_code=grouped(code),
        new=request.args.get("new") == "1",
        address=reply_address(code),
    )


@blueprint.get("/<code>/qr.svg")
def qr(code: str) -> ResponseReturnValue:
    try:
        code = clean_code(code)
    except InputError:
        abort(404)
    response = make_response(qr_svg(reply_address(code)))
    response.mimetype = "image/svg+xml"
    return response
