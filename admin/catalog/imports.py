"""Imports in the browser: upload, preview (nothing written), confirm (review or apply)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from admin.catalog import blueprint, review_steps
from admin.catalog.forms import UploadForm, region_choices
from kiosk.accounts.auth import acting_user, require_role
from kiosk.blobs.services import store_of
from kiosk.catalog.desk import imports
from kiosk.catalog.desk.models import IMPORT_STATES, CatalogImport
from kiosk.regions.services import active_regions
from kiosk.web import db_session, form_change


def _upload_form() -> UploadForm:
    form = UploadForm()
    form.region.choices = region_choices(active_regions(db_session()), "（文件里每行都写了区域）")
    return form


@blueprint.get("/")
@require_role("county_admin")
def index() -> ResponseReturnValue:
    return render_template(
        "admin/catalog/index.html",
        form=_upload_form(),
        recent=imports.recent_imports(db_session()),
        states=IMPORT_STATES,
    )


@blueprint.post("/imports")
@require_role("county_admin")
def upload() -> ResponseReturnValue:
    form = _upload_form()
    if form.validate_on_submit():
        uploads = [(f.filename or "", f.stream) for f in request.files.getlist("files") if f]

        def change() -> CatalogImport:
            store = store_of(current_app)
            files = imports.store_uploads(store, uploads, current_app.config["MAX_CONTENT_LENGTH"])
            return imports.preview_import(
                db_session(),
                store,
                files,
                form.region.data or "",
                acting_user().name,
                current_app.config["KIOSK_IMPORT_MAX_MB"],
            )

        done = form_change(form, change)
        if done is not None:
            return redirect(url_for("admin_catalog.preview", import_id=done.id), 303)
    html = render_template(
        "admin/catalog/index.html",
        form=form,
        recent=imports.recent_imports(db_session()),
        states=IMPORT_STATES,
    )
    return html, 400


def _import(import_id: int) -> CatalogImport:
    found = db_session().get(CatalogImport, import_id)
    if found is None:
        abort(404)
    return found


@blueprint.get("/imports/<id:import_id>")
@require_role("county_admin")
def preview(import_id: int) -> ResponseReturnValue:
    return render_template(
        "admin/catalog/preview.html",
        imported=_import(import_id),
        states=IMPORT_STATES,
        steps=review_steps(),
    )


@blueprint.post("/imports/<id:import_id>/confirm")
@require_role("county_admin")
def confirm(import_id: int) -> ResponseReturnValue:
    imported = _import(import_id)
    done = imports.confirm_import(db_session(), imported, acting_user().name, review_steps())
    if done.status == "approved":
        flash(f"已导入：{done.title}", "ok")
    else:
        flash(f"已送审：{done.title}，须由其他工作人员在“审核”页批准后才生效", "ok")
    return redirect(url_for("admin_catalog.preview", import_id=imported.id), 303)
