"""网页白名单: the sites web-page entries may show; only a county admin changes it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from admin.signage.common import blueprint, get_or_404, submitted
from admin.signage.forms import WebOriginForm
from kiosk.accounts.auth import acting_user, require_role
from kiosk.signage import web_origins as service
from kiosk.signage.models import WebOrigin
from kiosk.web import db_session


def _page(form: WebOriginForm) -> str:
    return render_template(
        "admin/signage/web_origins.html", origins=service.list_origins(db_session()), form=form
    )


@blueprint.get("/web-origins")
@require_role("viewer")
def web_origins() -> ResponseReturnValue:
    return _page(WebOriginForm())


@blueprint.post("/web-origins")
@require_role("county_admin")
def add_web_origin() -> ResponseReturnValue:
    form = WebOriginForm()
    added = submitted(
        form, lambda: service.add_origin(db_session(), form.origin.data or "", acting_user().name)
    )
    if added is None:
        return _page(form), 400
    flash(f"已允许播放 {added.origin} 的网页", "ok")
    return redirect(url_for("signage_admin.web_origins"))


@blueprint.post("/web-origins/<id:origin_id>/remove")
@require_role("county_admin")
def remove_web_origin(origin_id: int) -> ResponseReturnValue:
    found = get_or_404(WebOrigin, origin_id)
    service.remove_origin(db_session(), found, acting_user().name)
    flash(f"已从白名单删除 {found.origin}（已在播放列表里的这个网站的网页不再显示）", "ok")
    return redirect(url_for("signage_admin.web_origins"))
