"""Staff API keys at /admin/api-keys (county admins): make one for a program (scoped to a
role, shown once), see who made which, revoke one."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from admin.forms import ROLE_CHOICES
from admin.nav import add_admin_link
from kiosk.accounts.auth import acting_user, require_role
from kiosk.accounts.keys import NAME_MAX, StaffKey, create_key, list_keys, revoke_key
from kiosk.accounts.models import ROLE_LABELS
from kiosk.forms import Form
from kiosk.web import db_session, form_change

blueprint = Blueprint("admin_api_keys", __name__, url_prefix="/admin")


class KeyForm(Form):
    name = StringField(
        "密钥名称（如 县融媒体中心排期程序）", validators=[DataRequired(), Length(max=NAME_MAX)]
    )
    role = SelectField("权限", choices=ROLE_CHOICES, default="viewer")


class RevokeKeyForm(Form):
    pass


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_admin_link(app, "admin_api_keys.keys", "API 密钥", "county_admin")


@blueprint.route("/api-keys", methods=["GET", "POST"])
@require_role("county_admin")
def keys() -> ResponseReturnValue:
    form = KeyForm()
    database = db_session()
    issued = None
    if form.validate_on_submit():
        made = form_change(
            form,
            lambda: create_key(database, form.name.data or "", form.role.data, acting_user().name),
        )
        if made is not None:
            key, secret = made
            # Shown in this answer only, never put in the session cookie or a redirect.
            issued = {"name": key.name, "role": ROLE_LABELS[key.role], "secret": secret}
            form = KeyForm(formdata=None)
    status = 400 if form.errors or form.form_errors else 200
    page = render_template(
        "admin/api_keys.html",
        form=form,
        issued=issued,
        keys=list_keys(database),
        role_labels=ROLE_LABELS,
        revoke_form=RevokeKeyForm(),
    )
    return page, status


@blueprint.post("/api-keys/<id:key_id>/revoke")
@require_role("county_admin")
def revoke(key_id: int) -> ResponseReturnValue:
    database = db_session()
    key = database.get(StaffKey, key_id)
    if key is None:
        abort(404)
    revoke_key(database, key, acting_user().name)
    flash(f"已吊销密钥 {key.name}，用它的程序不能再调用接口", "ok")
    return redirect(url_for("admin_api_keys.keys"))
