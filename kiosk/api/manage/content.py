"""Media, schedules and proof of play through the management API (kiosk.signage.media,
.schedules, .plays)."""

from __future__ import annotations

from typing import Any, BinaryIO, cast

from flask import Response, current_app, request
from sqlalchemy import select

from kiosk.api.manage.common import (
    actor,
    answer,
    blueprint,
    body,
    day,
    found,
    local,
    needs,
    no_content,
)
from kiosk.blobs.services import store_of
from kiosk.errors import InputError
from kiosk.parsing import optional_whole_number
from kiosk.signage import media as media_service
from kiosk.signage import schedules as schedule_service
from kiosk.signage.models import Media, Schedule
from kiosk.signage.plays import list_plays, seconds_of
from kiosk.web import db_session
from kiosk.weekdays import EVERY_DAY

MAX_PLAYS = 1000


def media_json(media: Media) -> dict[str, Any]:
    return {
        "id": media.id,
        "name": media.original_name,
        "mime": media.mime,
        "size": media.size,
        "sha256": media.sha256,
        "complete": media.complete,
        "uploaded_by": media.uploaded_by,
        "created_at": local(media.created_at),
    }


def schedule_json(schedule: Schedule) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "playlist_id": schedule.playlist_id,
        "screen_id": schedule.screen_id,
        "group_id": schedule.group_id,
        "starts_on": day(schedule.starts_on),
        "ends_on": day(schedule.ends_on),
        "weekdays": schedule.weekdays,
        "windows": schedule.windows,
        "priority": schedule.priority,
        "region": schedule.region,
    }


@blueprint.get("/media")
@needs("viewer")
def list_media() -> Response:
    files = db_session().scalars(select(Media).order_by(Media.id.desc()))
    return answer([media_json(media) for media in files])


@blueprint.post("/media")
@needs("hall_manager")
def upload_media() -> Response:
    """One file as multipart/form-data (`file`), checked as an upload in the admin is."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InputError("请附上要上传的文件。", "file")
    saved = media_service.save_upload(
        db_session(),
        store_of(current_app),
        cast(BinaryIO, upload.stream),
        upload.filename,
        current_app.config["KIOSK_SIGNAGE_MAX_UPLOAD_MB"] * 1024 * 1024,
        actor(),
    )
    return answer(media_json(saved), 201)


@blueprint.get("/media/<id:media_id>")
@needs("viewer")
def get_media(media_id: int) -> Response:
    return answer(media_json(found(db_session(), Media, media_id)))


@blueprint.delete("/media/<id:media_id>")
@needs("hall_manager")
def remove_media(media_id: int) -> Response:
    session = db_session()
    media = found(session, Media, media_id)
    media_service.remove_media(session, store_of(current_app), media, actor())
    return no_content()


@blueprint.get("/schedules")
@needs("viewer")
def list_schedules() -> Response:
    schedules = schedule_service.list_schedules(db_session())
    return answer([schedule_json(schedule) for schedule in schedules])


@blueprint.post("/schedules")
@needs("hall_manager")
def create_schedule() -> Response:
    values = {"weekdays": EVERY_DAY, **body("ScheduleInput")}
    if current_app.config["KIOSK_ROLE"] != "central":
        values.pop("region", None)  # a hall's schedules play on its own screens
    else:
        values["region"] = values.get("region") or ""
    created = schedule_service.create_schedule(db_session(), values, actor())
    return answer(schedule_json(created), 201)


@blueprint.get("/schedules/<id:schedule_id>")
@needs("viewer")
def get_schedule(schedule_id: int) -> Response:
    return answer(schedule_json(found(db_session(), Schedule, schedule_id)))


@blueprint.delete("/schedules/<id:schedule_id>")
@needs("hall_manager")
def remove_schedule(schedule_id: int) -> Response:
    session = db_session()
    schedule_service.remove_schedule(session, found(session, Schedule, schedule_id), actor())
    return no_content()


@blueprint.get("/plays")
@needs("viewer")
def plays() -> Response:
    """Proof of play, newest first; `screen_id` for one screen's, `limit` how many."""
    screen_id = optional_whole_number(
        request.args.get("screen_id"), "屏幕编号", low=1, high=10**18 - 1, typed=False
    )
    limit = optional_whole_number(
        request.args.get("limit"), "条数", low=1, high=MAX_PLAYS, typed=False
    )
    records = list_plays(db_session(), limit=limit or 200, screen_id=screen_id)
    return answer(
        [
            {
                "id": play.id,
                "screen_id": play.screen_id,
                "screen_name": play.screen_name,
                "playlist_id": play.playlist_id,
                "entry_id": play.entry_id,
                "title": play.title,
                "started_at": local(play.started_at),
                "ended_at": local(play.ended_at),
                "seconds": seconds_of(play),
            }
            for play in records
        ]
    )
