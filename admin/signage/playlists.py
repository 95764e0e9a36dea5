"""Playlists: the list, a new playlist, one playlist's page (its entries and the add form,
publication, roles, review history) and its preview at a screen's resolution and layout."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from admin.signage.common import blueprint, checked, get_or_404, id_choices, submitted
from admin.signage.forms import EntryForm, PlaylistForm, PreviewForm, RoleForm
from kiosk.accounts.auth import acting_user, require_role
from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items
from kiosk.notices.models import Notice
from kiosk.review import services as review
from kiosk.review.models import STATE_LABELS as REVIEW_LABELS
from kiosk.signage import playlists as service
from kiosk.signage.entries import entry_name
from kiosk.signage.models import Media, Playlist, PlaylistEntry
from kiosk.signage.publishing import submit_for_review
from kiosk.web import db_session, public_base

NOTICE_CHOICES = 200
ITEM_CHOICES = 500


def review_steps() -> int:
    return current_app.config["KIOSK_REVIEW_STEPS"]


def entry_form(entry: PlaylistEntry | None = None) -> EntryForm:
    """The form for a new entry (or `entry`), with the notices and files to choose from."""
    database = db_session()
    form = EntryForm(obj=entry)
    notices = database.scalars(
        select(Notice).order_by(Notice.published_at.desc()).limit(NOTICE_CHOICES)
    )
    form.notice_id.choices = id_choices(notices, "（请选择）", "title")
    files = database.scalars(select(Media).order_by(Media.id.desc()))
    form.media_id.choices = id_choices(files, "（请选择）", "original_name")
    return form


def item_choices() -> list[Item]:
    """Items offered while typing an item code (the field takes any public item's code)."""
    return list(db_session().scalars(visible_items().order_by(Item.code).limit(ITEM_CHOICES)))


def playlist_page(playlist: Playlist, form: EntryForm) -> str:
    database = db_session()
    return render_template(
        "admin/signage/playlist.html",
        playlist=playlist,
        names={entry.id: entry_name(database, entry) for entry in playlist.entries},
        form=form,
        items=item_choices(),
        reviews=review.history(database, "playlist", playlist.id, limit=5),
        steps=review_steps(),
        review_labels=REVIEW_LABELS,
        roles=service.ROLES,
    )


def _list_page(form: PlaylistForm) -> str:
    return render_template(
        "admin/signage/playlists.html", playlists=service.list_playlists(db_session()), form=form
    )


@blueprint.get("/playlists")
@require_role("viewer")
def playlists() -> ResponseReturnValue:
    return _list_page(PlaylistForm())


@blueprint.post("/playlists")
@require_role("hall_manager")
def create_playlist() -> ResponseReturnValue:
    form = PlaylistForm()
    created = submitted(
        form,
        lambda: service.create_playlist(db_session(), form.name.data or "", acting_user().name),
    )
    if created is None:
        return _list_page(form), 400
    flash(f"已创建播放列表 {created.name}，请添加条目", "ok")
    return redirect(url_for("signage_admin.playlist", playlist_id=created.id))


@blueprint.get("/playlists/<id:playlist_id>")
@require_role("viewer")
def playlist(playlist_id: int) -> ResponseReturnValue:
    return playlist_page(get_or_404(Playlist, playlist_id), entry_form())


def back_to(playlist_id: int) -> ResponseReturnValue:
    return redirect(url_for("signage_admin.playlist", playlist_id=playlist_id))


@blueprint.post("/playlists/<id:playlist_id>/submit")
@require_role("hall_manager")
def submit(playlist_id: int) -> ResponseReturnValue:
    steps = review_steps()
    done = submit_for_review(
        db_session(), get_or_404(Playlist, playlist_id), steps, public_base(), acting_user().name
    )
    flash(
        "已发布到屏幕"
        if done.status == "approved"
        else f"已提交审核，需要另外 {steps} 人批准后上屏",
        "ok",
    )
    return back_to(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/role")
@require_role("hall_manager")
def playlist_role(playlist_id: int) -> ResponseReturnValue:
    form = RoleForm()
    checked(form)
    found = get_or_404(Playlist, playlist_id)
    on = form.on.data == "1"
    service.set_playlist_role(db_session(), found, form.role.data, on, acting_user().name)
    role = service.ROLES[form.role.data]
    flash(f"已把 {found.name} 设为{role}" if on else f"{found.name} 不再是{role}", "ok")
    return back_to(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/remove")
@require_role("hall_manager")
def remove_playlist(playlist_id: int) -> ResponseReturnValue:
    found = get_or_404(Playlist, playlist_id)
    service.remove_playlist(db_session(), found, acting_user().name)
    flash(f"已删除播放列表 {found.name}", "ok")
    return redirect(url_for("signage_admin.playlists"))


@blueprint.get("/playlists/<id:playlist_id>/preview")
@require_role("viewer")
def preview(playlist_id: int) -> ResponseReturnValue:
    """The playlist at a screen's resolution and layout: its draft or what screens play."""
    form = PreviewForm(request.args)
    for field in (form.what, form.size, form.layout):
        if not field.validate(form):  # an address changed by hand: show the default
            field.data = field.default
    width, height = (int(n) for n in form.size.data.split("x"))
    return render_template(
        "admin/signage/preview.html",
        playlist=get_or_404(Playlist, playlist_id),
        form=form,
        width=width,
        height=height,
    )
