"""Screens and screen groups through the management API (kiosk.signage.screens, .groups)."""

from __future__ import annotations

from typing import Any

from flask import Response

from kiosk.api.manage.common import actor, answer, blueprint, body, found, local, needs, no_content
from kiosk.signage import groups as group_service
from kiosk.signage import screens as screen_service
from kiosk.signage.models import Screen, ScreenGroup
from kiosk.web import db_session


def screen_json(screen: Screen) -> dict[str, Any]:
    return {
        "id": screen.id,
        "slug": screen.slug,
        "name": screen.name,
        "group_id": screen.group_id,
        "layout": screen.layout,
        "paired": screen.claimed_at is not None,
        "online": screen_service.is_online(screen),
        "last_seen_at": local(screen.last_seen_at),
        "showing": screen.current_title,
    }


def group_json(group: ScreenGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "layout": group.layout,
        "default_playlist_id": group.default_playlist_id,
    }


@blueprint.get("/screens")
@needs("viewer")
def list_screens() -> Response:
    return answer([screen_json(screen) for screen in screen_service.list_screens(db_session())])


@blueprint.get("/screens/<id:screen_id>")
@needs("viewer")
def get_screen(screen_id: int) -> Response:
    return answer(screen_json(found(db_session(), Screen, screen_id)))


@blueprint.patch("/screens/<id:screen_id>")
@needs("hall_manager")
def update_screen(screen_id: int) -> Response:
    session = db_session()
    screen = found(session, Screen, screen_id)
    values = body("ScreenUpdate")
    screen_service.update_screen(
        session,
        screen,
        values["name"],
        values.get("group_id", screen.group_id),
        values.get("layout", screen.layout),
        actor(),
    )
    return answer(screen_json(screen))


@blueprint.delete("/screens/<id:screen_id>")
@needs("hall_manager")
def remove_screen(screen_id: int) -> Response:
    session = db_session()
    screen_service.remove_screen(session, found(session, Screen, screen_id), actor())
    return no_content()


@blueprint.get("/groups")
@needs("viewer")
def list_groups() -> Response:
    return answer([group_json(group) for group in group_service.list_groups(db_session())])


def _save(group: ScreenGroup | None) -> ScreenGroup:
    values = body("ScreenGroupInput")
    layout = values.get("layout", group.layout if group else "standard")
    default = values.get("default_playlist_id", group.default_playlist_id if group else None)
    return group_service.save_group(db_session(), group, values["name"], layout, default, actor())


@blueprint.post("/groups")
@needs("hall_manager")
def create_group() -> Response:
    return answer(group_json(_save(None)), 201)


@blueprint.get("/groups/<id:group_id>")
@needs("viewer")
def get_group(group_id: int) -> Response:
    return answer(group_json(found(db_session(), ScreenGroup, group_id)))


@blueprint.put("/groups/<id:group_id>")
@needs("hall_manager")
def update_group(group_id: int) -> Response:
    return answer(group_json(_save(found(db_session(), ScreenGroup, group_id))))


@blueprint.delete("/groups/<id:group_id>")
@needs("hall_manager")
def remove_group(group_id: int) -> Response:
    session = db_session()
    group_service.remove_group(session, found(session, ScreenGroup, group_id), actor())
    return no_content()
