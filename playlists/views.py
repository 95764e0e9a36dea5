"""The signage player's pages and its small JSON endpoints (polled by player.js)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    send_from_directory,
)

from kiosk.accounts.auth import current_user, require_role
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.extensions import csrf
from kiosk.settings import hall_name, hall_zone
from kiosk.signage import services
from kiosk.signage.media import media_dir, media_path
from kiosk.signage.models import LAYOUTS, Media, Playlist, Screen
from kiosk.web import db_session, public_base

blueprint = Blueprint(
    "playlists",
    __name__,
    url_prefix="/player",
    template_folder="templates",
    static_folder="static/playlists",
    static_url_path="/static",
)
STATIC = Path(__file__).parent / "static" / "playlists"


def node_zone() -> ZoneInfo:
    return hall_zone(current_app.config)


def _program(screen: Screen | None, playlist: Playlist | None, layout: str) -> dict[str, Any]:
    return services.program(
        db_session(),
        screen,
        playlist,
        now=utcnow(),
        tz=node_zone(),
        hall_name=hall_name(current_app.config),
        region=current_app.config["KIOSK_REGION"],
        layout=layout,
    )


def _player_page(mode: str, base: str, title: str):
    response = current_app.make_response(
        render_template(
            "playlists/player.html",
            mode=mode,
            base=base,
            title=title,
            zone=current_app.config["KIOSK_TIMEZONE"],
        )
    )
    # Web-page entries may frame only the allow-listed origins.
    origins = " ".join(
        o.strip()
        for o in current_app.config["KIOSK_SIGNAGE_WEB_ORIGINS"].split(",")
        if o.strip() and " " not in o.strip() and ";" not in o
    )
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        f"style-src 'self'; script-src 'self'; frame-src 'self' {origins}; "
        "frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


# ---------------------------------------------------------------- shared assets


@blueprint.get("/sw.js")
def service_worker():
    # Served under /player/ so its scope covers every player page.
    response = send_from_directory(STATIC, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/media/<id:media_id>")
def media(media_id: int):
    database = db_session()
    found = database.get(Media, media_id)
    # Files not yet approved for the screens are only for signed-in staff (preview).
    if found is None or not (services.media_on_screens(database, found.id) or current_user()):
        abort(404)
    folder = media_dir(current_app.config["KIOSK_INSTANCE_PATH"])
    # Stored names are never reused, so the file under this id never changes.
    return send_file(
        media_path(folder, found), mimetype=found.mime, conditional=True, max_age=86400
    )


# ---------------------------------------------------------------- the attract loop


def _attract() -> Playlist:
    playlist = services.attract_playlist(db_session())
    if playlist is None:
        abort(404)
    return playlist


@blueprint.get("/attract")
def attract():
    playlist = _attract()
    return _player_page("attract", "/player/attract", playlist.name)


@blueprint.get("/attract/program.json")
def attract_program():
    return jsonify(_program(None, _attract(), "fullscreen"))


@blueprint.get("/attract/poll")
def attract_poll():
    body = _program(None, _attract(), "fullscreen")
    return jsonify(
        version=body["version"], paired=True, emergency=services.emergency_for(db_session(), None)
    )


# ---------------------------------------------------------------- preview for managers

PREVIEW = "/preview/<id:playlist_id>/<any(draft, published):what>/<any({}):layout>".format(
    ", ".join(f'"{layout}"' for layout in LAYOUTS)
)


@blueprint.get(PREVIEW)
@require_role("viewer")
def preview(playlist_id: int, what: str, layout: str):
    playlist = db_session().get(Playlist, playlist_id) or abort(404)
    return _player_page("preview", f"/player/preview/{playlist.id}/{what}/{layout}", playlist.name)


@blueprint.get(PREVIEW + "/program.json")
@require_role("viewer")
def preview_program(playlist_id: int, what: str, layout: str):
    """The draft as it would play, or the published version as screens play it now."""
    database = db_session()
    playlist = database.get(Playlist, playlist_id) or abort(404)
    if what == "published":
        entries = playlist.published or []
    else:
        try:
            entries = services.snapshot(database, playlist, public_base())
        except InputError as error:
            return jsonify(error=str(error)), 409
    body = _program(None, None, layout)
    body.update(
        playlist={"id": playlist.id, "name": playlist.name, "revision": 0},
        entries=[e for e in entries if e["enabled"]],
    )
    return jsonify(body)


# ---------------------------------------------------------------- one screen

# Each screen's browser holds a random device cookie; only the browser a screen is bound to
# may read its program or report for it.
DEVICE_COOKIE = "kiosk_screen_device"
DEVICE_COOKIE_AGE = 10 * 365 * 86400


def _device() -> str | None:
    token = request.cookies.get(DEVICE_COOKIE)
    return services.device_hash(token) if token else None


def _screen(slug: str) -> Screen:
    """The screen this browser speaks for; 403 until it has registered (POST /register)."""
    database = db_session()
    if services.get_screen(database, slug) is None:
        abort(404)
    screen = services.screen_for_device(database, slug, _device())
    if screen is None:
        abort(403)
    return screen


@blueprint.get("/<slug>")
def player(slug: str):
    """The player page; the browser then registers itself as this screen with a POST."""
    token = request.cookies.get(DEVICE_COOKIE) or secrets.token_urlsafe(32)
    try:
        services.check_screen_slug(slug)
        services.check_screen_free(db_session(), slug, services.device_hash(token))
    except services.ScreenTaken as error:
        return render_template("playlists/refused.html", message=str(error)), 403
    except InputError as error:
        return render_template("playlists/refused.html", message=str(error)), 400
    screen = services.get_screen(db_session(), slug)
    response = _player_page("screen", f"/player/{slug}", (screen and screen.name) or slug)
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_COOKIE_AGE,
        path="/player/",
        httponly=True,
        samesite="Strict",
    )
    return response


@blueprint.post("/<slug>/register")
@csrf.exempt  # a screen has no session; its device cookie (SameSite=Strict) speaks for it
def register(slug: str):
    """This browser becomes the screen at /player/<slug> (a new one shows a pairing code)."""
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        raise InputError("这台屏幕的浏览器没有保存设备标识，请允许 Cookie 后刷新页面。")
    screen = services.register_screen(db_session(), slug, services.device_hash(token))
    return jsonify(paired=screen.claimed_at is not None, pairing_code=screen.pairing_code)


@blueprint.get("/<slug>/program.json")
def program(slug: str):
    screen = _screen(slug)
    if screen.claimed_at is None:
        return jsonify(paired=False, pairing_code=screen.pairing_code)
    playlist = services.playlist_for(db_session(), screen, utcnow(), node_zone())
    return jsonify(paired=True, **_program(screen, playlist, services.layout_of(screen)))


@blueprint.get("/<slug>/poll")
def poll(slug: str):
    """Polled every second: the program's version and any emergency notice in scope."""
    screen = _screen(slug)
    if screen.claimed_at is None:
        return jsonify(paired=False, pairing_code=screen.pairing_code, version="", emergency=None)
    database = db_session()
    playlist = services.playlist_for(database, screen, utcnow(), node_zone())
    body = _program(screen, playlist, services.layout_of(screen))
    return jsonify(
        paired=True, version=body["version"], emergency=services.emergency_for(database, screen)
    )


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


@blueprint.post("/<slug>/heartbeat")
@csrf.exempt  # a screen has no session; it only reports what it shows
def heartbeat(slug: str):
    screen = _screen(slug)
    services.heartbeat(db_session(), screen, _json_body())
    return jsonify(ok=True)


@blueprint.post("/<slug>/failures")
@csrf.exempt
def failure(slug: str):
    screen = _screen(slug)
    body = _json_body()
    services.report_failure(screen, body.get("entry"), body.get("reason", ""))
    return jsonify(ok=True)


@blueprint.post("/<slug>/plays")
@csrf.exempt
def plays(slug: str):
    screen = _screen(slug)
    rows = _json_body().get("plays")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise InputError("播放记录必须是对象的列表。")
    return jsonify(added=services.record_plays(db_session(), screen, rows))
