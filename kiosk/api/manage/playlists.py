"""Playlists and their entries through the management API (kiosk.signage.playlists,
.entries); as in the admin, every change is to the draft and screens get it with the next
publication, and county playlists are read-only at a hall."""

from __future__ import annotations

from typing import Any

from flask import Response, abort

from kiosk.api.manage.common import (
    actor,
    answer,
    blueprint,
    body,
    found,
    local,
    needs,
    no_content,
)
from kiosk.signage import entries as entry_service
from kiosk.signage import playlists as playlist_service
from kiosk.signage.models import Playlist, PlaylistEntry
from kiosk.signage.web_origins import allowed_origins
from kiosk.web import db_session


def entry_json(entry: PlaylistEntry) -> dict[str, Any]:
    return {
        **entry_service.entry_values(entry),
        "name": entry_service.entry_name(db_session(), entry),
    }


def playlist_json(playlist: Playlist) -> dict[str, Any]:
    return {
        "id": playlist.id,
        "name": playlist.name,
        "is_default": playlist.is_default,
        "is_attract": playlist.is_attract,
        "county": playlist.county_ref is not None,
        "published_revision": playlist.published_revision,
        "published_at": local(playlist.published_at),
        "entries": [entry_json(entry) for entry in playlist.entries],
    }


@blueprint.get("/playlists")
@needs("viewer")
def list_playlists() -> Response:
    playlists = playlist_service.list_playlists(db_session())
    return answer([playlist_json(playlist) for playlist in playlists])


@blueprint.post("/playlists")
@needs("hall_manager")
def create_playlist() -> Response:
    values = body("PlaylistInput")
    created = playlist_service.create_playlist(db_session(), values["name"], actor())
    return answer(playlist_json(created), 201)


@blueprint.get("/playlists/<id:playlist_id>")
@needs("viewer")
def get_playlist(playlist_id: int) -> Response:
    return answer(playlist_json(found(db_session(), Playlist, playlist_id)))


@blueprint.delete("/playlists/<id:playlist_id>")
@needs("hall_manager")
def remove_playlist(playlist_id: int) -> Response:
    session = db_session()
    playlist_service.remove_playlist(session, found(session, Playlist, playlist_id), actor())
    return no_content()


def _entry(playlist_id: int, entry_id: int) -> PlaylistEntry:
    entry = found(db_session(), PlaylistEntry, entry_id)
    if entry.playlist_id != playlist_id:  # another playlist's entry is not found here
        abort(404)
    return entry


@blueprint.post("/playlists/<id:playlist_id>/entries")
@needs("hall_manager")
def add_entry(playlist_id: int) -> Response:
    session = db_session()
    playlist = found(session, Playlist, playlist_id)
    values = body("PlaylistEntryInput")
    added = entry_service.add_entry(session, playlist, values, allowed_origins(session), actor())
    return answer(entry_json(added), 201)


@blueprint.patch("/playlists/<id:playlist_id>/entries/<id:entry_id>")
@needs("hall_manager")
def update_entry(playlist_id: int, entry_id: int) -> Response:
    session = db_session()
    entry = _entry(playlist_id, entry_id)
    values = body("PlaylistEntryUpdate")
    enabled = values.pop("enabled", None)
    if values:  # fields not sent keep their value, as on the entry's admin page
        merged = {**entry_service.entry_values(entry), **values}
        entry_service.update_entry(session, entry, merged, allowed_origins(session), actor())
    if enabled is not None and enabled != entry.enabled:
        entry_service.set_entry_enabled(session, entry, enabled, actor())
    return answer(entry_json(entry))


@blueprint.delete("/playlists/<id:playlist_id>/entries/<id:entry_id>")
@needs("hall_manager")
def remove_entry(playlist_id: int, entry_id: int) -> Response:
    entry_service.remove_entry(db_session(), _entry(playlist_id, entry_id), actor())
    return no_content()
