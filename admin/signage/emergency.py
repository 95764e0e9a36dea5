"""Emergency notices: what is over the screens now, posting one, taking one down."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from admin.signage.common import blueprint, get_or_404, id_choices, submitted
from admin.signage.forms import EmergencyForm
from kiosk.accounts.auth import acting_user, require_role
from kiosk.db import utcnow
from kiosk.signage import emergency as service
from kiosk.signage.groups import list_groups
from kiosk.signage.models import EmergencyNotice
from kiosk.web import db_session


def _form() -> EmergencyForm:
    form = EmergencyForm()
    form.group_id.choices = id_choices(list_groups(db_session()), "全部屏幕")
    return form


def _page(form: EmergencyForm) -> str:
    database = db_session()
    return render_template(
        "admin/signage/emergency.html",
        active=service.active_emergencies(database),
        groups={group.id: group for group in list_groups(database)},
        central=current_app.config["KIOSK_ROLE"] == "central",
        form=form,
    )


@blueprint.get("/emergency")
@require_role("viewer")
def emergency() -> ResponseReturnValue:
    return _page(_form())


@blueprint.post("/emergency")
@require_role("hall_manager")
def post_emergency() -> ResponseReturnValue:
    form = _form()
    central = current_app.config["KIOSK_ROLE"] == "central"
    posted = submitted(
        form,
        lambda: service.post_emergency(
            db_session(),
            form.title.data or "",
            form.body.data or "",
            actor=acting_user().name,
            group_id=form.group_id.data,
            expires_at=utcnow() + timedelta(minutes=form.minutes.data)
            if form.minutes.data
            else None,
            region=(form.region.data or "") if central else "",
        ),
    )
    if posted is None:
        return _page(form), 400
    flash(f"紧急通知已发布到屏幕：{posted.title}", "ok")
    return redirect(url_for("signage_admin.emergency"))


@blueprint.post("/emergency/<id:notice_id>/clear")
@require_role("hall_manager")
def clear_emergency(notice_id: int) -> ResponseReturnValue:
    notice = get_or_404(EmergencyNotice, notice_id)
    service.clear_emergency(db_session(), notice, acting_user().name)
    flash(f"已撤下紧急通知“{notice.title}”", "ok")
    return redirect(url_for("signage_admin.emergency"))
