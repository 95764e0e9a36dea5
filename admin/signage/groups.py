"""Screen groups: the list, a new group, and one group's page (name, layout, default list)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from admin.signage.common import blueprint, get_or_404, id_choices, submitted
from admin.signage.forms import GroupForm
from kiosk.accounts.auth import acting_user, require_role
from kiosk.signage import groups as service
from kiosk.signage.models import ScreenGroup
from kiosk.signage.playlists import list_playlists
from kiosk.web import db_session


def _form(group: ScreenGroup | None = None) -> GroupForm:
    form = GroupForm(obj=group)
    form.default_playlist_id.choices = id_choices(list_playlists(db_session()), "（全局默认）")
    return form


def _list_page(form: GroupForm) -> str:
    database = db_session()
    return render_template(
        "admin/signage/groups.html",
        groups=service.list_groups(database),
        playlists={playlist.id: playlist for playlist in list_playlists(database)},
        form=form,
    )


def _save(form: GroupForm, group: ScreenGroup | None) -> ScreenGroup | None:
    return submitted(
        form,
        lambda: service.save_group(
            db_session(),
            group,
            form.name.data or "",
            form.layout.data or "standard",
            form.default_playlist_id.data,
            acting_user().name,
        ),
    )


@blueprint.get("/groups")
@require_role("viewer")
def groups() -> ResponseReturnValue:
    return _list_page(_form())


@blueprint.post("/groups")
@require_role("hall_manager")
def create_group() -> ResponseReturnValue:
    form = _form()
    saved = _save(form, None)
    if saved is None:
        return _list_page(form), 400
    flash(f"已创建分组 {saved.name}", "ok")
    return redirect(url_for("signage_admin.groups"))


@blueprint.route("/groups/<id:group_id>", methods=["GET", "POST"])
@require_role("hall_manager")
def group(group_id: int) -> ResponseReturnValue:
    found = get_or_404(ScreenGroup, group_id)
    form = _form(found)
    if not form.is_submitted():
        return _group_page(found, form)
    saved = _save(form, found)
    if saved is None:
        return _group_page(found, form), 400
    flash(f"已保存分组 {saved.name}", "ok")
    return redirect(url_for("signage_admin.groups"))


def _group_page(group: ScreenGroup, form: GroupForm) -> str:
    return render_template("admin/signage/group.html", group=group, form=form)


@blueprint.post("/groups/<id:group_id>/remove")
@require_role("hall_manager")
def remove_group(group_id: int) -> ResponseReturnValue:
    found = get_or_404(ScreenGroup, group_id)
    service.remove_group(db_session(), found, acting_user().name)
    flash(f"已删除分组 {found.name}", "ok")
    return redirect(url_for("signage_admin.groups"))
