"""A playlist's entries: add one, change one on its own page, move, switch off, remove.
Every change is to the draft; screens get it with the next publication."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask.typing import ResponseReturnValue

from admin.signage.common import (
    blueprint,
    checked,
    get_or_404,
    submitted,
    web_origins,
)
from admin.signage.forms import EnabledForm, EntryForm, MoveForm
from admin.signage.playlists import back_to, entry_form, item_choices, playlist_page
from kiosk.accounts.auth import acting_user, require_role
from kiosk.errors import InputError
from kiosk.signage import entries as service
from kiosk.signage.models import Playlist, PlaylistEntry
from kiosk.web import db_session


def _entry(playlist_id: int, entry_id: int) -> PlaylistEntry:
    entry = get_or_404(PlaylistEntry, entry_id)
    if entry.playlist_id != playlist_id:  # another playlist's entry is not found here
        abort(404)
    return entry


@blueprint.post("/playlists/<id:playlist_id>/entries")
@require_role("hall_manager")
def add_entry(playlist_id: int) -> ResponseReturnValue:
    found = get_or_404(Playlist, playlist_id)
    form = entry_form()
    added = submitted(
        form,
        lambda: service.add_entry(
            db_session(), found, form.values(), web_origins(), acting_user().name
        ),
    )
    if added is None:
        return playlist_page(found, form), 400
    flash("已添加条目（提交审核后上屏）", "ok")
    return back_to(playlist_id)


def _entry_page(entry: PlaylistEntry, form: EntryForm) -> str:
    return render_template("admin/signage/entry.html", entry=entry, form=form, items=item_choices())


@blueprint.route("/playlists/<id:playlist_id>/entries/<id:entry_id>", methods=["GET", "POST"])
@require_role("hall_manager")
def update_entry(playlist_id: int, entry_id: int) -> ResponseReturnValue:
    entry = _entry(playlist_id, entry_id)
    form = entry_form(entry)
    if not form.is_submitted():
        return _entry_page(entry, form)
    saved = submitted(
        form,
        lambda: service.update_entry(
            db_session(), entry, form.values(), web_origins(), acting_user().name
        ),
    )
    if saved is None:
        return _entry_page(entry, form), 400
    flash("已保存条目（提交审核后上屏）", "ok")
    return back_to(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/entries/<id:entry_id>/move")
@require_role("hall_manager")
def move_entry(playlist_id: int, entry_id: int) -> ResponseReturnValue:
    entry = _entry(playlist_id, entry_id)
    form = MoveForm()
    checked(form)
    index = entry.playlist.entries.index(entry)
    target = {"up": index - 1, "down": index + 1}.get(form.direction.data or "", form.to.data)
    if target is None:
        raise InputError("请说明把条目移到哪里：上移、下移或第几位。")
    service.move_entry(db_session(), entry, target, acting_user().name)
    return back_to(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/entries/<id:entry_id>/enabled")
@require_role("hall_manager")
def toggle_entry(playlist_id: int, entry_id: int) -> ResponseReturnValue:
    entry = _entry(playlist_id, entry_id)
    form = EnabledForm()
    checked(form)
    service.set_entry_enabled(db_session(), entry, form.enabled.data == "1", acting_user().name)
    return back_to(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/entries/<id:entry_id>/remove")
@require_role("hall_manager")
def remove_entry(playlist_id: int, entry_id: int) -> ResponseReturnValue:
    service.remove_entry(db_session(), _entry(playlist_id, entry_id), acting_user().name)
    flash("已删除条目（提交审核后屏幕上也不再播放）", "ok")
    return back_to(playlist_id)
