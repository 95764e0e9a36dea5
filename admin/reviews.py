"""The review desk (审核) at /admin/reviews/: everything waiting for approval, of every kind,
shown as its reviewers will publish it."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from admin.nav import add_admin_link
from kiosk.accounts.auth import acting_user, require_role
from kiosk.errors import InputError
from kiosk.forms import Form
from kiosk.review import services as review
from kiosk.review.models import STATE_LABELS, Review
from kiosk.web import db_session

blueprint = Blueprint("admin_reviews", __name__, url_prefix="/admin/reviews")


class ApproveForm(Form):
    # The hash of the version shown on the page: an approval is of what was seen.
    seen = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])


class RejectForm(Form):
    reason = TextAreaField("退回原因", validators=[Length(max=review.REASON_MAX)])


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_admin_link(app, "admin_reviews.index", "审核", "hall_manager")


def _review(review_id: int) -> Review:
    found = db_session().get(Review, review_id)
    if found is None:
        abort(404)
    return found


def _decided(review_id: int) -> Review:
    """The review, when the signed-in staff member's role may decide its kind."""
    found = _review(review_id)
    if not acting_user().has_role(review.kind_of(found).role):
        abort(403)
    return found


def _back() -> Response:
    return redirect(url_for("admin_reviews.index"), 303)


@blueprint.get("/")
@require_role("viewer")
def index() -> str:
    return render_template(
        "admin/reviews/index.html",
        reviews=review.pending(db_session()),
        kinds=review.KINDS,
        may_approve=review.may_approve,
        labels=STATE_LABELS,
        steps=current_app.config["KIOSK_REVIEW_STEPS"],
    )


@blueprint.post("/<id:review_id>/approve")
@require_role("hall_manager")
def approve(review_id: int) -> Response:
    form = ApproveForm()
    if not form.validate_on_submit():
        raise InputError("审核页面已过期，请刷新后再批准。")
    done = review.approve(db_session(), _decided(review_id), acting_user().name, form.seen.data)
    left = done.required - len(done.approvals)
    flash(
        f"已批准并发布：{done.title}"
        if done.status == "approved"
        else f"已批准：{done.title}，还需要另外 {left} 人批准",
        "ok",
    )
    return _back()


@blueprint.post("/<id:review_id>/reject")
@require_role("hall_manager")
def reject(review_id: int) -> Response:
    reason = RejectForm().reason.data or ""
    done = review.reject(db_session(), _decided(review_id), acting_user().name, reason)
    flash(f"已退回：{done.title}", "ok")
    return _back()


@blueprint.post("/<id:review_id>/withdraw")
@require_role("hall_manager")
def withdraw(review_id: int) -> Response:
    done = review.withdraw(db_session(), _review(review_id), acting_user().name)
    flash(f"已撤回：{done.title}", "ok")
    return _back()
