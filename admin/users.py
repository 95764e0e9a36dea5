"""Staff accounts at /admin/users (county admins) and one's own password at /admin/account."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from admin.forms import ActiveForm, OwnPasswordForm, PasswordResetForm, RoleForm, UserForm
from admin.nav import add_admin_link
from kiosk.accounts.auth import acting_user, require_role, sign_in
from kiosk.accounts.models import User
from kiosk.accounts.services import (
    change_own_password,
    create_user,
    list_users,
    locked_names,
    name_key,
    set_active,
    set_password,
    set_role,
    unlock,
)
from kiosk.errors import InputError
from kiosk.web import db_session, form_change

blueprint = Blueprint("admin_users", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_admin_link(app, "admin_users.users", "用户", "county_admin")
    add_admin_link(app, "admin_users.account", "我的密码", "viewer")


def _user(user_id: int) -> User:
    user = db_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _back() -> Response:
    return redirect(url_for("admin_users.users"), 303)


def _submitted(form: RoleForm | PasswordResetForm | ActiveForm) -> None:
    if not form.validate_on_submit():
        field, errors = next(iter(form.errors.items()))
        raise InputError(f"{getattr(form, field).label.text or field}：{errors[0]}")


@blueprint.route("/users", methods=["GET", "POST"])
@require_role("county_admin")
def users() -> tuple[str, int] | Response:
    form = UserForm()
    database = db_session()
    if form.validate_on_submit():
        created = form_change(
            form,
            lambda: create_user(
                database, form.name.data, form.role.data, form.password.data,
                actor=acting_user().name,
            ),
        )  # fmt: skip
        if created is not None:
            flash(f"已创建用户 {created.name}", "ok")
            return _back()
    page = render_template(
        "admin/users.html",
        form=form,
        users=list_users(database),
        locked=locked_names(database),
        name_key=name_key,
        role_form=RoleForm(),
    )
    return page, 400 if form.errors else 200


@blueprint.post("/users/<id:user_id>/role")
@require_role("county_admin")
def role(user_id: int) -> Response:
    form = RoleForm()
    _submitted(form)
    user = set_role(db_session(), _user(user_id), form.role.data, acting_user().name)
    flash(f"已修改 {user.name} 的角色；此人需要重新登录。", "ok")
    return _back()


@blueprint.post("/users/<id:user_id>/password")
@require_role("county_admin")
def reset_password(user_id: int) -> Response:
    form = PasswordResetForm()
    _submitted(form)
    user = set_password(db_session(), _user(user_id), form.password.data, acting_user().name)
    flash(f"已为 {user.name} 设置新密码；此人需要用新密码重新登录。", "ok")
    return _back()


@blueprint.post("/users/<id:user_id>/active")
@require_role("county_admin")
def active(user_id: int) -> Response:
    form = ActiveForm()
    _submitted(form)
    on = form.active.data == "1"
    user = set_active(db_session(), _user(user_id), on, acting_user().name)
    flash(f"已{'启用' if on else '停用'} {user.name}", "ok")
    return _back()


@blueprint.post("/users/<id:user_id>/unlock")
@require_role("county_admin")
def unlock_user(user_id: int) -> Response:
    user = _user(user_id)
    unlock(db_session(), user, acting_user().name)
    flash(f"已解除 {user.name} 的登录锁定", "ok")
    return _back()


@blueprint.route("/account", methods=["GET", "POST"])
@require_role("viewer")
def account() -> tuple[str, int] | Response:
    form = OwnPasswordForm()
    me = acting_user()
    if form.validate_on_submit():
        changed = form_change(
            form,
            lambda: change_own_password(db_session(), me, form.current.data, form.password.data),
        )
        if changed is not None:
            sign_in(changed)  # this browser stays signed in; every other copy is signed out
            flash("密码已修改；其他地方的登录已失效。", "ok")
            return redirect(url_for("admin.dashboard"), 303)
    return render_template("admin/account.html", form=form), 400 if form.errors else 200
