"""Screens: the list with what each one shows, pairing a new screen by its code, and one
screen's page (name, group, layout; re-pair, remove)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from admin.signage.common import (
    blueprint,
    get_or_404,
    id_choices,
    submitted,
    zone,
)
from admin.signage.forms import PREVIEW_SIZES, ClaimForm, DisplayForm, ScreenForm
from kiosk.accounts.auth import acting_user, require_role
from kiosk.db import utcnow
from kiosk.signage import screens as service
from kiosk.signage.commands import recent_commands
from kiosk.signage.groups import list_groups
from kiosk.signage.models import COMMANDS, Screen
from kiosk.signage.next_play import idle_text, why_idle
from kiosk.signage.program import layout_of
from kiosk.signage.schedules import playlist_for
from kiosk.web import db_session


def _with_groups(form: ClaimForm | ScreenForm) -> None:
    form.group_id.choices = id_choices(list_groups(db_session()), "未分组")


def _list_page(claim: ClaimForm | None = None) -> str:
    database = db_session()
    now = utcnow()
    rows = []
    for screen in service.list_screens(database):
        playing = playlist_for(database, screen, now, zone()) if screen.claimed_at else None
        rows.append(
            {
                "screen": screen,
                "online": service.is_online(screen, now),
                "playlist": playing,
                "layout": layout_of(screen),
                "idle": _idle_line(screen),
            }
        )
    if claim is None:
        claim = ClaimForm()
        _with_groups(claim)
    return render_template(
        "admin/signage/screens.html", rows=rows, claim=claim, sizes=PREVIEW_SIZES
    )


@blueprint.get("/")
@require_role("viewer")
def screens() -> ResponseReturnValue:
    return _list_page()


@blueprint.post("/screens/claim")
@require_role("hall_manager")
def claim() -> ResponseReturnValue:
    form = ClaimForm()
    _with_groups(form)
    screen = submitted(
        form,
        lambda: service.claim_screen(
            db_session(),
            form.code.data or "",
            form.name.data or "",
            form.group_id.data,
            acting_user().name,
        ),
    )
    if screen is None:
        return _list_page(form), 400
    flash(f"已配对屏幕 {screen.name}", "ok")
    return redirect(url_for("signage_admin.screens"))


def _idle_line(screen: Screen) -> str:
    """Why the screen plays nothing and when it next plays; "" while it plays."""
    if screen.claimed_at is None:
        return ""
    idle = why_idle(db_session(), screen, utcnow(), zone())
    return idle_text(idle, zone()) if idle else ""


def screen_page(
    screen: Screen, form: ScreenForm | None = None, display: DisplayForm | None = None
) -> str:
    if display is None:
        display = DisplayForm()
        display.hours.data = ", ".join(f"{a}-{b}" for a, b in screen.opening_hours)
        display.days.data = [int(day) for day in screen.opening_days]
    width, height = _size_of(screen)
    return render_template(
        "admin/signage/screen.html",
        screen=screen,
        form=form or _screen_form(screen),
        display=display,
        online=service.is_online(screen),
        layout=layout_of(screen),
        idle=_idle_line(screen),
        commands=recent_commands(db_session(), screen),
        command_labels=COMMANDS,
        width=width,
        height=height,
    )


def _size_of(screen: Screen) -> tuple[int, int]:
    """The screen's reported resolution (the mirror is drawn at it), else full HD."""
    try:
        width, height = (int(n) for n in screen.viewport.split("x"))
    except ValueError:
        return 1920, 1080
    return (width, height) if 100 <= width <= 8000 and 100 <= height <= 8000 else (1920, 1080)


def _screen_form(screen: Screen) -> ScreenForm:
    form = ScreenForm(obj=screen)
    if not form.is_submitted():
        form.layout.data = screen.layout or ""  # None: the group's
    _with_groups(form)
    return form


@blueprint.get("/screens/<id:screen_id>")
@require_role("viewer")
def screen(screen_id: int) -> ResponseReturnValue:
    return screen_page(get_or_404(Screen, screen_id))


@blueprint.post("/screens/<id:screen_id>")
@require_role("hall_manager")
def update_screen(screen_id: int) -> ResponseReturnValue:
    found = get_or_404(Screen, screen_id)
    form = _screen_form(found)
    saved = submitted(
        form,
        lambda: service.update_screen(
            db_session(),
            found,
            form.name.data or "",
            form.group_id.data,
            form.layout.data or None,
            acting_user().name,
        ),
    )
    if saved is None:
        return screen_page(found, form), 400
    flash(f"已保存屏幕 {saved.name} 的设置", "ok")
    return redirect(url_for("signage_admin.screens"))


@blueprint.post("/screens/<id:screen_id>/unpair")
@require_role("hall_manager")
def unpair_screen(screen_id: int) -> ResponseReturnValue:
    found = service.unpair_screen(db_session(), get_or_404(Screen, screen_id), acting_user().name)
    flash(
        f"屏幕 {found.name} 已解除配对：在要使用的屏幕上打开 /player/{found.slug}，"
        "再在这里输入屏上显示的新配对码",
        "ok",
    )
    return redirect(url_for("signage_admin.screens"))


@blueprint.post("/screens/<id:screen_id>/remove")
@require_role("hall_manager")
def remove_screen(screen_id: int) -> ResponseReturnValue:
    found = get_or_404(Screen, screen_id)
    service.remove_screen(db_session(), found, acting_user().name)
    flash(f"已删除屏幕 {found.name or found.slug}", "ok")
    return redirect(url_for("signage_admin.screens"))
