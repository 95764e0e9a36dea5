"""Media: the uploaded files, uploading one (type checked by content), removing one."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from admin.signage.common import blueprint, get_or_404
from admin.signage.forms import UploadForm
from kiosk.accounts.auth import acting_user, require_role
from kiosk.blobs.services import store_of
from kiosk.signage import media as service
from kiosk.signage.models import Media
from kiosk.web import db_session


def _limit_mb() -> int:
    return current_app.config["KIOSK_SIGNAGE_MAX_UPLOAD_MB"]


def _page(form: UploadForm) -> str:
    form.file.label.text = (
        f"图片（JPEG、PNG、GIF、WebP）、视频（MP4、WebM）或 PDF，最大 {_limit_mb()} MB"
    )
    files = db_session().scalars(select(Media).order_by(Media.id.desc()))
    return render_template("admin/signage/media.html", files=list(files), form=form)


@blueprint.get("/media")
@require_role("viewer")
def media() -> ResponseReturnValue:
    return _page(UploadForm())


@blueprint.post("/media")
@require_role("hall_manager")
def upload() -> ResponseReturnValue:
    """One file or many (chosen together or dropped on the page); each is checked alone."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form), 400
    saved, refused = service.save_uploads(
        db_session(),
        store_of(current_app),
        ((f.stream, f.filename or "") for f in form.file.data),
        _limit_mb() * 1024 * 1024,
        acting_user().name,
    )
    if not saved:
        form.form_errors.extend(refused)
        return _page(form), 400
    flash("已上传 " + "、".join(media.original_name for media in saved), "ok")
    for message in refused:
        flash(f"未上传：{message}", "error")
    return redirect(url_for("signage_admin.media"))


@blueprint.post("/media/<id:media_id>/remove")
@require_role("hall_manager")
def remove_media(media_id: int) -> ResponseReturnValue:
    found = get_or_404(Media, media_id)
    service.remove_media(db_session(), store_of(current_app), found, acting_user().name)
    flash(f"已删除文件 {found.original_name}", "ok")
    return redirect(url_for("signage_admin.media"))
