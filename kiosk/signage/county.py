"""County signage through the sync (the `signage` section of the change feed).

At the centre, county staff build playlists as a hall does and assign them to regions
(a schedule with a `region`); every hall in that region (it and every place below) gets
the published playlists, their county schedules and the list of files they use. A hall
keeps them read-only (`county_ref`), fetches the files in the background
(kiosk.signage.county_files) and plays an entry only once its file is complete and verified.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.blobs.services import Need, register_source
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.regions.services import lineage
from kiosk.signage.models import Media, Playlist, Schedule

COUNTY_NAME = "县级·{}"
ACTOR = "county"


def check_local(playlist: Playlist) -> None:
    """A hall never changes a county playlist: the county does, at the centre."""
    if playlist.county_ref is not None:
        raise InputError("这是县级播放列表，只能由县中心修改；本厅可以给它排期。")


def _assignments(session: Session, hall_region: str) -> list[Schedule]:
    above = lineage(hall_region) if hall_region else []
    query = select(Schedule).where(Schedule.region.is_not(None))
    return [s for s in session.scalars(query) if s.region == "" or s.region in above]


def signage_section(session: Session, hall_region: str) -> dict[str, Any]:
    """Centre: the published county playlists assigned to this hall's region."""
    schedules = [s for s in _assignments(session, hall_region) if s.playlist.published]
    playlists = {s.playlist.id: s.playlist for s in schedules}
    files: dict[str, dict[str, Any]] = {}
    for playlist in playlists.values():
        for entry in playlist.published or []:
            media = session.get(Media, entry["media"]) if entry.get("media") else None
            if media is not None:
                files[media.sha256] = {
                    "sha256": media.sha256,
                    "size": media.size,
                    "name": media.original_name,
                    "mime": media.mime,
                }
    return {
        "playlists": [
            {
                "id": str(p.id),
                "name": p.name,
                "revision": p.published_revision,
                "entries": p.published or [],
            }
            for p in playlists.values()
        ],
        "schedules": [
            {
                "id": str(s.id),
                "playlist": str(s.playlist_id),
                "starts_on": s.starts_on.isoformat() if s.starts_on else None,
                "ends_on": s.ends_on.isoformat() if s.ends_on else None,
                "weekdays": s.weekdays,
                "windows": s.windows,
                "priority": s.priority,
            }
            for s in schedules
        ],
        "files": sorted(files.values(), key=lambda f: f["sha256"]),
    }


def county_needs(session: Session, region: str | None) -> Iterator[Need]:
    """Blob source at the centre: the files of the county playlists a hall is sent."""
    if region is None:
        return
    for index, file in enumerate(signage_section(session, region)["files"]):
        yield Need(file["sha256"], file["size"], f"县级信息发布：{file['name']}", 10 + index)


def _local_media(session: Session, file: dict[str, Any]) -> Media:
    media = session.scalar(
        select(Media).where(Media.sha256 == file["sha256"], Media.uploaded_by == ACTOR)
    )
    if media is None:
        media = Media(
            sha256=file["sha256"],
            original_name=file["name"],
            mime=file["mime"],
            size=file["size"],
            uploaded_by=ACTOR,
            complete=False,
        )
        session.add(media)
        session.flush()
    return media


def reconcile_county_signage(session: Session, section: dict[str, Any]) -> None:
    """Hall: hold exactly the county playlists and schedules the centre sends now."""
    media_ids = {f["sha256"]: _local_media(session, f).id for f in section["files"]}
    playlists: dict[str, Playlist] = {}
    for sent in section["playlists"]:
        playlist = session.scalar(select(Playlist).where(Playlist.county_ref == sent["id"]))
        if playlist is None:
            playlist = Playlist(name=_free_name(session, sent["name"]), county_ref=sent["id"])
            session.add(playlist)
        entries = [
            {**e, "media": media_ids[e["sha256"]]} if e.get("sha256") in media_ids else e
            for e in sent["entries"]
        ]
        if playlist.published != entries or playlist.published_revision != sent["revision"]:
            playlist.published, playlist.published_revision = entries, sent["revision"]
            playlist.published_at = playlist.changed_at = utcnow()
        playlists[sent["id"]] = playlist
    session.flush()
    for gone in session.scalars(select(Playlist).where(Playlist.county_ref.is_not(None))):
        if gone.county_ref not in playlists:
            session.delete(gone)  # its schedules, county and hall, go with it
    wanted = set()
    for sent in section["schedules"]:
        if sent["playlist"] not in playlists:
            continue
        wanted.add(sent["id"])
        schedule = session.scalar(select(Schedule).where(Schedule.county_ref == sent["id"]))
        if schedule is None:
            schedule = Schedule(county_ref=sent["id"], created_by=ACTOR)
            session.add(schedule)
        schedule.playlist_id = playlists[sent["playlist"]].id
        schedule.starts_on = _day(sent["starts_on"])
        schedule.ends_on = _day(sent["ends_on"])
        schedule.weekdays, schedule.windows = sent["weekdays"], sent["windows"]
        schedule.priority = sent["priority"]
    for old in session.scalars(select(Schedule).where(Schedule.county_ref.is_not(None))):
        if old.county_ref not in wanted:
            session.delete(old)
    session.flush()


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _free_name(session: Session, name: str) -> str:
    candidate, number = COUNTY_NAME.format(name)[:100], 2
    while session.scalar(select(Playlist.id).where(Playlist.name == candidate)) is not None:
        candidate, number = f"{COUNTY_NAME.format(name)[:90]}（{number}）", number + 1
    return candidate


register_source("signage-county", county_needs)
