"""Steering a screen from the admin: remote commands (reload, test pattern, standby,
resume) and its display schedule (standby outside opening hours)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue

from admin.signage.common import blueprint, checked, get_or_404, submitted
from admin.signage.forms import CommandForm, DisplayForm
from admin.signage.screens import screen_page
from kiosk.accounts.auth import acting_user, require_role
from kiosk.signage import commands as service
from kiosk.signage.models import COMMANDS, Screen
from kiosk.web import db_session


def _back(screen: Screen) -> ResponseReturnValue:
    return redirect(url_for("signage_admin.screen", screen_id=screen.id))


@blueprint.post("/screens/<id:screen_id>/command")
@require_role("hall_manager")
def command(screen_id: int) -> ResponseReturnValue:
    form = CommandForm()
    checked(form)
    found = get_or_404(Screen, screen_id)
    service.send_command(db_session(), found, form.kind.data, acting_user().name)
    flash(f"已向 {found.name} 发送“{COMMANDS[form.kind.data]}”，屏幕收到后会在下面显示", "ok")
    return _back(found)


@blueprint.post("/screens/<id:screen_id>/display")
@require_role("hall_manager")
def display_schedule(screen_id: int) -> ResponseReturnValue:
    found = get_or_404(Screen, screen_id)
    form = DisplayForm()
    saved = submitted(
        form,
        lambda: service.set_display_schedule(
            db_session(),
            found,
            {"hours": form.hours.data, "days": "".join(str(d) for d in form.days.data or [])},
            acting_user().name,
        ),
    )
    if saved is None:
        return screen_page(found, display=form), 400
    flash(
        f"已保存 {found.name} 的开放时间，其余时间黑屏待机"
        if saved.opening_hours
        else f"{found.name} 不再定时待机",
        "ok",
    )
    return _back(found)
