from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from admin.auth import current_user, require_role
from admin.changes import commit_change
from admin.dashboard import overview
from admin.forms import LoginForm, UserForm
from admin.nav import admin_links
from kiosk.accounts.models import ROLE_LABELS
from kiosk.accounts.services import Throttled, authenticate, create_user, list_users
from kiosk.audit.services import recent_entries
from kiosk.settings import hall_zone
from kiosk.web import db_session, local_path

blueprint = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    template_folder="templates",
    static_folder="static/admin",
    static_url_path="/static/admin",
)


@blueprint.app_context_processor
def admin_context():
    return {
        "admin_user": current_user,
        "role_labels": ROLE_LABELS,
        "admin_links": lambda: admin_links(current_app),
    }


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        database = db_session()
        try:
            user = authenticate(
                database, form.name.data, form.password.data, request.remote_addr or "unknown"
            )
            database.commit()
        except Throttled:
            flash("尝试次数过多，请15分钟后再试。Too many attempts; try again later.", "error")
            return render_template("admin/login.html", form=form), 429
        if user is not None:
            session.clear()  # a fresh session on sign-in: no fixation
            session["user_id"] = user.id
            return redirect(local_path(request.args.get("next"), url_for("admin.dashboard")))
        flash("用户名或密码错误。Wrong name or password.", "error")
        status = 401
    return render_template("admin/login.html", form=form), status


@blueprint.post("/logout")
def logout():
    # CSRFProtect has already checked the token of this POST.
    session.clear()
    return redirect(url_for("admin.login"))


@blueprint.get("/")
@require_role("viewer")
def dashboard():
    config = current_app.config
    return render_template(
        "admin/dashboard.html",
        overview=overview(
            db_session(),
            config["KIOSK_REGION"],
            syncing=config["KIOSK_ROLE"] == "hall" and bool(config["KIOSK_CENTRAL_URL"]),
            zone=hall_zone(config),
        ),
    )


@blueprint.route("/users", methods=["GET", "POST"])
@require_role("county_admin")
def users():
    form = UserForm()
    database = db_session()
    if form.validate_on_submit() and commit_change(
        database,
        lambda: create_user(
            database, form.name.data, form.role.data, form.password.data, actor=current_user().name
        ),
        lambda _: f"已创建用户 {form.name.data}",
    ):
        return redirect(url_for("admin.users"))
    return render_template("admin/users.html", form=form, users=list_users(database))


@blueprint.get("/audit")
@require_role("county_admin")
def audit():
    return render_template("admin/audit.html", entries=recent_entries(db_session()))
