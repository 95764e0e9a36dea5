"""An item's attachments at the catalog desk: adding files (each checked by its content) and
removing one. They reach the halls with the item at their next sync."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue

from admin.catalog import blueprint
from admin.catalog.forms import AttachmentForm
from kiosk.accounts.auth import acting_user, require_role
from kiosk.blobs.services import store_of
from kiosk.catalog import attachments as service
from kiosk.catalog.desk.items import get_item
from kiosk.errors import InputError
from kiosk.web import db_session


def limit_mb() -> int:
    limit: int = current_app.config["KIOSK_ATTACHMENT_MAX_MB"]
    return limit


@blueprint.post("/items/<code>/attachments")
@require_role("county_admin")
def add_attachments(code: str) -> ResponseReturnValue:
    """One file or several; each is checked alone, a refused one leaves nothing behind."""
    item = get_item(db_session(), code)
    form = AttachmentForm()
    if not form.validate_on_submit():
        raise InputError("请选择要附加的文件。", "file")
    added = []
    for upload in form.file.data:
        try:
            attachment = service.add_attachment(
                db_session(),
                store_of(current_app),
                item,
                upload.stream,
                upload.filename or "",
                limit_mb() << 20,
                acting_user().name,
            )
        except InputError as error:
            flash(f"未附加：{error}", "error")
        else:
            added.append(attachment.name)
    if added:
        flash(f"已附加 {'、'.join(added)}，各大厅下次同步时收到。", "ok")
    return redirect(url_for("admin_catalog.item", code=code, _anchor="attachments"), 303)


@blueprint.post("/items/<code>/attachments/<id:attachment_id>/remove")
@require_role("county_admin")
def remove_attachment(code: str, attachment_id: int) -> ResponseReturnValue:
    item = get_item(db_session(), code)
    gone = service.remove_attachment(
        db_session(), store_of(current_app), item, attachment_id, acting_user().name
    )
    flash(f"已删除附件 {gone.name}，各大厅下次同步时不再显示。", "ok")
    return redirect(url_for("admin_catalog.item", code=code, _anchor="attachments"), 303)
