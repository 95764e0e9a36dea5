"""Schedules: which playlist plays where and when, and the rule that decides between them."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from admin.signage.common import blueprint, get_or_404, id_choices, submitted
from admin.signage.forms import ScheduleForm
from kiosk.accounts.auth import acting_user, require_role
from kiosk.signage import schedules as service
from kiosk.signage.groups import list_groups
from kiosk.signage.models import Schedule, Screen
from kiosk.signage.playlists import list_playlists
from kiosk.signage.schedule_rule import OVERLAP_RULE
from kiosk.signage.screens import list_screens
from kiosk.web import db_session
from kiosk.weekdays import weekday_names


def central() -> bool:
    return bool(current_app.config["KIOSK_ROLE"] == "central")


def _paired_screens() -> list[Screen]:
    return [screen for screen in list_screens(db_session()) if screen.claimed_at]


def _form() -> ScheduleForm:
    database = db_session()
    form = ScheduleForm()
    form.playlist_id.choices = id_choices(list_playlists(database), "（请选择）")
    form.screen_id.choices = id_choices(_paired_screens(), "（不指定）")
    form.group_id.choices = id_choices(list_groups(database), "（不指定）")
    return form


def _page(form: ScheduleForm) -> str:
    database = db_session()
    return render_template(
        "admin/signage/schedules.html",
        schedules=service.list_schedules(database),
        screens={screen.id: screen for screen in _paired_screens()},
        groups={group.id: group for group in list_groups(database)},
        weekday_names=weekday_names,
        form=form,
        central=central(),
        overlap_rule=OVERLAP_RULE,
    )


@blueprint.get("/schedules")
@require_role("viewer")
def schedules() -> ResponseReturnValue:
    return _page(_form())


@blueprint.post("/schedules")
@require_role("hall_manager")
def create_schedule() -> ResponseReturnValue:
    form = _form()
    values = form.values()
    if not central():
        values.pop("region")  # a hall's schedules play on its own screens
    else:
        values["region"] = values["region"] or ""
    created = submitted(
        form, lambda: service.create_schedule(db_session(), values, acting_user().name)
    )
    if created is None:
        return _page(form), 400
    flash(f"已添加排期：{created.playlist.name}", "ok")
    return redirect(url_for("signage_admin.schedules"))


@blueprint.post("/schedules/<id:schedule_id>/remove")
@require_role("hall_manager")
def remove_schedule(schedule_id: int) -> ResponseReturnValue:
    service.remove_schedule(db_session(), get_or_404(Schedule, schedule_id), acting_user().name)
    flash("已删除排期", "ok")
    return redirect(url_for("signage_admin.schedules"))
