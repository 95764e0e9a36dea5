"""The management API's part of the OpenAPI document (kiosk/api/openapi.py adds it): one
operation per endpoint, each naming the least role its key needs."""

from __future__ import annotations

from typing import Any

from kiosk.accounts.models import ROLE_LABELS
from kiosk.api.manage.schema import MAX_ID
from kiosk.sync.schema_parts import ref

SECURITY: list[dict[str, list[str]]] = [{"staffKey": []}]
STAFF_KEY = {
    "type": "http",
    "scheme": "bearer",
    "description": "A staff API key made in the admin (API 密钥), acting with its role: "
    "viewer reads, hall_manager also changes, county_admin as hall_manager.",
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def _id(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


def _operation(
    operation: str,
    summary: str,
    role: str,
    answer: str | None,
    status: str = "200",
    request: str | None = None,
    ids: tuple[str, ...] = (),
    parameters: tuple[dict[str, Any], ...] = (),
    links: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "400": _error("Refused input; `message` says why in Chinese."),
        "401": _error("Missing, unknown or revoked staff key."),
        "403": _error(f"The key's role is below {role}."),
    }
    if answer is None:
        responses[status] = {"description": "Done."}
    else:
        content = {"application/json": {"schema": ref(answer)}}
        responses[status] = {"description": "Done.", "content": content}
    if links:  # where the new thing's id goes next (clients and schemathesis follow them)
        responses[status]["links"] = {
            operation_id[0].upper() + operation_id[1:]: {
                "operationId": operation_id,
                "parameters": parameters_of,
            }
            for operation_id, parameters_of in links.items()
        }
    if ids:
        responses["404"] = _error("No such thing.")
    described: dict[str, Any] = {
        "operationId": operation,
        "summary": summary,
        "description": f"Needs a key of role {role} ({ROLE_LABELS[role]}) or above.",
        "tags": ["management"],
        "security": SECURITY,
        "parameters": [_id(name) for name in ids] + list(parameters),
        "responses": responses,
    }
    if request is not None:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(request)}},
        }
    return described


def _query(name: str, maximum: int) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum},
    }


UPLOAD = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}


def _upload() -> dict[str, Any]:
    described = _operation(
        "uploadMedia",
        "Upload a file (image, video, PDF)",
        "hall_manager",
        "MediaFile",
        "201",
        links=_follow("media_id", "getMedia", "removeMedia"),
    )
    described["requestBody"] = UPLOAD
    described["responses"]["413"] = _error("The file is larger than the upload limit.")
    return described


def _follow(name: str, *operations: str) -> dict[str, dict[str, str]]:
    """Links from a created thing (its `id` as the path parameter `name`) to `operations`."""
    return {operation: {name: "$response.body#/id"} for operation in operations}


def manage_paths() -> dict[str, Any]:
    v, m = "viewer", "hall_manager"
    screen, group, playlist = ("screen_id",), ("group_id",), ("playlist_id",)
    entry = ("playlist_id", "entry_id")
    return {
        "/screens": {
            "get": _operation("listScreens", "Screens and what they show", v, "ScreenList")
        },
        "/screens/{screen_id}": {
            "get": _operation("getScreen", "One screen", v, "Screen", ids=screen),
            "patch": _operation(
                "updateScreen",
                "Name, group and layout of a screen",
                m,
                "Screen",
                request="ScreenUpdate",
                ids=screen,
            ),
            "delete": _operation("removeScreen", "Remove a screen", m, None, "204", ids=screen),
        },
        "/groups": {
            "get": _operation("listGroups", "Screen groups", v, "ScreenGroupList"),
            "post": _operation(
                "createGroup",
                "A new screen group",
                m,
                "ScreenGroup",
                "201",
                request="ScreenGroupInput",
                links=_follow("group_id", "getGroup", "updateGroup", "removeGroup"),
            ),
        },
        "/groups/{group_id}": {
            "get": _operation("getGroup", "One screen group", v, "ScreenGroup", ids=group),
            "put": _operation(
                "updateGroup",
                "Change a screen group",
                m,
                "ScreenGroup",
                request="ScreenGroupInput",
                ids=group,
            ),
            "delete": _operation("removeGroup", "Remove a screen group", m, None, "204", ids=group),
        },
        "/media": {
            "get": _operation("listMedia", "Uploaded files, newest first", v, "MediaFileList"),
            "post": _upload(),
        },
        "/media/{media_id}": {
            "get": _operation("getMedia", "One uploaded file", v, "MediaFile", ids=("media_id",)),
            "delete": _operation(
                "removeMedia", "Remove an uploaded file", m, None, "204", ids=("media_id",)
            ),
        },
        "/playlists": {
            "get": _operation(
                "listPlaylists", "Playlists with their draft entries", v, "PlaylistList"
            ),
            "post": _operation(
                "createPlaylist",
                "A new playlist",
                m,
                "Playlist",
                "201",
                request="PlaylistInput",
                links=_follow("playlist_id", "getPlaylist", "addEntry", "removePlaylist"),
            ),
        },
        "/playlists/{playlist_id}": {
            "get": _operation("getPlaylist", "One playlist", v, "Playlist", ids=playlist),
            "delete": _operation(
                "removePlaylist",
                "Remove a playlist (not a county one)",
                m,
                None,
                "204",
                ids=playlist,
            ),
        },
        "/playlists/{playlist_id}/entries": {
            "post": _operation(
                "addEntry",
                "An entry at the end of the draft",
                m,
                "PlaylistEntry",
                "201",
                request="PlaylistEntryInput",
                ids=playlist,
                links={
                    operation: {
                        "playlist_id": "$request.path.playlist_id",
                        "entry_id": "$response.body#/id",
                    }
                    for operation in ("updateEntry", "removeEntry")
                },
            )
        },
        "/playlists/{playlist_id}/entries/{entry_id}": {
            "patch": _operation(
                "updateEntry",
                "Change an entry (fields not sent keep their value)",
                m,
                "PlaylistEntry",
                request="PlaylistEntryUpdate",
                ids=entry,
            ),
            "delete": _operation("removeEntry", "Remove an entry", m, None, "204", ids=entry),
        },
        "/schedules": {
            "get": _operation("listSchedules", "Schedules", v, "ScheduleList"),
            "post": _operation(
                "createSchedule",
                "A new schedule",
                m,
                "Schedule",
                "201",
                request="ScheduleInput",
                links=_follow("schedule_id", "getSchedule", "removeSchedule"),
            ),
        },
        "/schedules/{schedule_id}": {
            "get": _operation("getSchedule", "One schedule", v, "Schedule", ids=("schedule_id",)),
            "delete": _operation(
                "removeSchedule", "Remove a schedule", m, None, "204", ids=("schedule_id",)
            ),
        },
        "/emergencies": {
            "get": _operation(
                "listEmergencies",
                "Emergency notices over the screens now",
                v,
                "EmergencyNoticeList",
            ),
            "post": _operation(
                "postEmergency",
                "Put an emergency notice over the screens",
                m,
                "EmergencyNotice",
                "201",
                request="EmergencyNoticeInput",
                links=_follow("notice_id", "clearEmergency"),
            ),
        },
        "/emergencies/{notice_id}": {
            "delete": _operation(
                "clearEmergency",
                "Take an emergency notice down",
                m,
                None,
                "204",
                ids=("notice_id",),
            )
        },
        "/plays": {
            "get": _operation(
                "listPlays",
                "Proof of play, newest first",
                v,
                "PlayRecordList",
                parameters=(_query("screen_id", MAX_ID), _query("limit", 1000)),
            )
        },
    }
