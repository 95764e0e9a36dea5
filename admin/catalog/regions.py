"""The region tree: add, rename, retire (and restore) townships and villages."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from admin.catalog import blueprint
from admin.catalog.forms import RegionForm, RenameForm, region_choices
from kiosk.accounts.auth import acting_user, require_role
from kiosk.catalog.desk import regions as tree
from kiosk.catalog.models import Item
from kiosk.errors import InputError
from kiosk.regions.models import LEVEL_BY_DEPTH
from kiosk.regions.services import active_regions, list_regions
from kiosk.web import db_session, form_change


def _add_form() -> RegionForm:
    form = RegionForm()
    choices = [r for r in active_regions(db_session()) if r.depth < len(LEVEL_BY_DEPTH)]
    form.parent.choices = region_choices(choices, "（无上级：新建一个县）")
    return form


def _back() -> Response:
    return redirect(url_for("admin_catalog.regions"), 303)


@blueprint.get("/regions/")
@require_role("county_admin")
def regions() -> ResponseReturnValue:
    return _page(_add_form())


def _page(form: RegionForm, status: int = 200) -> ResponseReturnValue:
    rows = db_session().execute(select(Item.region, func.count()).group_by(Item.region))
    counts = {region: count for region, count in rows}
    return (
        render_template(
            "admin/catalog/regions.html",
            form=form,
            regions=list_regions(db_session()),
            counts=counts,
            rename=RenameForm(),
            levels=LEVEL_BY_DEPTH,
        ),
        status,
    )


@blueprint.post("/regions/")
@require_role("county_admin")
def add_region() -> ResponseReturnValue:
    form = _add_form()
    if form.validate_on_submit():
        done = form_change(
            form,
            lambda: tree.add_region(
                db_session(), form.parent.data or "", form.name.data or "", acting_user().name
            ),
        )
        if done is not None:
            flash(f"已添加区域：{done.path}", "ok")
            return _back()
    return _page(form, 400)


def _path() -> str:
    path = request.form.get("path", "")
    if not path:
        raise InputError("没有选择区域。")
    return path


@blueprint.post("/regions/rename")
@require_role("county_admin")
def rename_region() -> ResponseReturnValue:
    form = RenameForm()
    if not form.validate_on_submit():
        raise InputError("请填写新名称。", "name")
    done = tree.rename_region(db_session(), _path(), form.name.data or "", acting_user().name)
    flash(f"已改名为：{done.path}", "ok")
    return _back()


@blueprint.post("/regions/retire")
@require_role("county_admin")
def retire_region() -> ResponseReturnValue:
    done = tree.retire_region(db_session(), _path(), acting_user().name)
    flash(f"已停用区域：{done.path}", "ok")
    return _back()


@blueprint.post("/regions/restore")
@require_role("county_admin")
def restore_region() -> ResponseReturnValue:
    done = tree.restore_region(db_session(), _path(), acting_user().name)
    flash(f"已恢复启用区域：{done.path}", "ok")
    return _back()
