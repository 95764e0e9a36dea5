"""The signage player's pages and its small JSON endpoints (polled by player.js)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    send_from_directory,
)
from flask.typing import ResponseReturnValue

from kiosk.accounts.auth import current_user, require_role
from kiosk.blobs.services import store_of
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.extensions import csrf
from kiosk.review.services import pending_for
from kiosk.settings import hall_name, hall_zone
from kiosk.signage.commands import acknowledge, in_standby, waiting_commands
from kiosk.signage.emergency import emergency_for
from kiosk.signage.models import LAYOUTS, Media, Playlist, Screen
from kiosk.signage.next_play import idle_text, why_idle
from kiosk.signage.playlists import attract_playlist
from kiosk.signage.plays import record_plays
from kiosk.signage.program import layout_of, media_on_screens, version_of
from kiosk.signage.program import program as program_of
from kiosk.signage.publishing import snapshot
from kiosk.signage.schedules import playlist_for
from kiosk.signage.screens import (
    ScreenTaken,
    check_screen_free,
    check_screen_slug,
    device_hash,
    get_screen,
    record_heartbeat,
    register_screen,
    report_failure,
    screen_for_device,
)
from kiosk.signage.web_origins import allowed_origins
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
    return program_of(
        db_session(),
        screen,
        playlist,
        now=utcnow(),
        tz=node_zone(),
        hall_name=hall_name(current_app.config),
        region=current_app.config["KIOSK_REGION"],
        layout=layout,
    )


def _player_page(mode: str, base: str, title: str) -> Response:
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
    origins = " ".join(allowed_origins(db_session()))  # each checked by origin_of
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        f"style-src 'self'; script-src 'self'; frame-src 'self' {origins}; "
        "frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


# ---------------------------------------------------------------- shared assets


@blueprint.get("/sw.js")
def service_worker() -> Response:
    # Served under /player/ so its scope covers every player page.
    response = send_from_directory(STATIC, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _shown_media(media_id: int) -> Media:
    database = db_session()
    found = database.get(Media, media_id)
    # Files not yet approved for the screens are only for signed-in staff (preview).
    if found is None or not (media_on_screens(database, found.id) or current_user()):
        abort(404)
    return found


def _blob(sha256: str | None, mimetype: str, **options: Any) -> Response:
    store = store_of(current_app)
    if sha256 is None or not store.has(sha256):
        abort(404)
    # Named by content: the file under this address never changes.
    return send_file(
        store.path(sha256), mimetype=mimetype, conditional=True, max_age=86400, **options
    )


@blueprint.get("/media/<id:media_id>")
def media(media_id: int) -> Response:
    """The file; a PDF only as a download, never opened in the browser's PDF viewer."""
    found = _shown_media(media_id)
    if found.mime == "application/pdf":
        return _blob(
            found.sha256, found.mime, as_attachment=True, download_name=found.original_name
        )
    return _blob(found.sha256, found.mime)


@blueprint.get("/media/<id:media_id>/thumbnail")
def thumbnail(media_id: int) -> Response:
    return _blob(_shown_media(media_id).thumbnail, "image/jpeg")


@blueprint.get("/media/<id:media_id>/page/<int:page>")
def page(media_id: int, page: int) -> Response:
    """A PDF page as the image the node rendered of it (1 is the first page)."""
    pages = _shown_media(media_id).pages
    return _blob(pages[page - 1] if 1 <= page <= len(pages) else None, "image/png")


# ---------------------------------------------------------------- the attract loop


def _attract() -> Playlist:
    playlist = attract_playlist(db_session())
    if playlist is None:
        abort(404)
    return playlist


@blueprint.get("/attract")
def attract() -> Response:
    playlist = _attract()
    return _player_page("attract", "/player/attract", playlist.name)


@blueprint.get("/attract/program.json")
def attract_program() -> Response:
    return jsonify(_program(None, _attract(), "fullscreen"))


@blueprint.get("/attract/poll")
def attract_poll() -> Response:
    body = _program(None, _attract(), "fullscreen")
    return jsonify(
        version=body["version"], paired=True, emergency=emergency_for(db_session(), None)
    )


# ---------------------------------------------------------------- preview for managers

PREVIEW = "/preview/<id:playlist_id>/<any(draft, published, submitted):what>/<any({}):layout>"
PREVIEW = PREVIEW.format(", ".join(f'"{layout}"' for layout in LAYOUTS))


@blueprint.get(PREVIEW)
@require_role("viewer")
def preview(playlist_id: int, what: str, layout: str) -> Response:
    playlist = db_session().get(Playlist, playlist_id) or abort(404)
    return _player_page("preview", f"/player/preview/{playlist.id}/{what}/{layout}", playlist.name)


@blueprint.get(PREVIEW + "/program.json")
@require_role("viewer")
def preview_program(playlist_id: int, what: str, layout: str) -> ResponseReturnValue:
    """The draft as it would play, the version waiting for review, or the published
    version as screens play it now."""
    database = db_session()
    playlist = database.get(Playlist, playlist_id) or abort(404)
    if what == "published":
        entries = playlist.published or []
    elif what == "submitted":  # exactly what its reviewers approve
        waiting = pending_for(database, "playlist", playlist.id)
        entries = waiting[-1].content if waiting else []
    else:
        try:
            entries = snapshot(database, playlist, public_base())
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
    return device_hash(token) if token else None


def _screen(slug: str) -> Screen:
    """The screen this browser speaks for; 403 until it has registered (POST /register)."""
    database = db_session()
    if get_screen(database, slug) is None:
        abort(404)
    screen = screen_for_device(database, slug, _device())
    if screen is None:
        abort(403)
    return screen


@blueprint.get("/<slug>")
def player(slug: str) -> ResponseReturnValue:
    """The player page; the browser then registers itself as this screen with a POST."""
    token = request.cookies.get(DEVICE_COOKIE) or secrets.token_urlsafe(32)
    try:
        check_screen_slug(slug)
        check_screen_free(db_session(), slug, device_hash(token))
    except ScreenTaken as error:
        return render_template("playlists/refused.html", message=str(error)), 403
    except InputError as error:
        return render_template("playlists/refused.html", message=str(error)), 400
    screen = get_screen(db_session(), slug)
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
def register(slug: str) -> Response:
    """This browser becomes the screen at /player/<slug> (a new one shows a pairing code)."""
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        raise InputError("这台屏幕的浏览器没有保存设备标识，请允许 Cookie 后刷新页面。")
    screen = register_screen(db_session(), slug, device_hash(token))
    return jsonify(paired=screen.claimed_at is not None, pairing_code=screen.pairing_code)


def _screen_program(screen: Screen) -> dict[str, Any]:
    """What this screen plays now, why it plays nothing, and whether it stands by."""
    database, now, tz = db_session(), utcnow(), node_zone()
    playlist = playlist_for(database, screen, now, tz)
    body = _program(screen, playlist, layout_of(screen))
    idle = why_idle(database, screen, now, tz)
    body["idle"] = idle_text(idle, tz) if idle else ""
    body["standby"] = in_standby(screen, now, tz)
    body["version"] = version_of(body)
    return body


@blueprint.get("/<slug>/program.json")
def program(slug: str) -> Response:
    screen = _screen(slug)
    if screen.claimed_at is None:
        return jsonify(paired=False, pairing_code=screen.pairing_code)
    return jsonify(paired=True, **_screen_program(screen))


@blueprint.get("/<slug>/poll")
def poll(slug: str) -> Response:
    """Polled every second: the program's version, any emergency notice in scope and the
    commands waiting for this screen."""
    screen = _screen(slug)
    if screen.claimed_at is None:
        return jsonify(paired=False, pairing_code=screen.pairing_code, version="", emergency=None)
    database = db_session()
    return jsonify(
        paired=True,
        version=_screen_program(screen)["version"],
        emergency=emergency_for(database, screen),
        commands=waiting_commands(database, screen),
    )


# ---------------------------------------------------------------- the admin's mirror


def _mirrored(screen_id: int) -> Screen:
    screen = db_session().get(Screen, screen_id)
    if screen is None or screen.claimed_at is None:
        abort(404)
    return screen


@blueprint.get("/mirror/<id:screen_id>")
@require_role("viewer")
def mirror(screen_id: int) -> Response:
    """The screen's program, showing the entry the screen reports it shows."""
    screen = _mirrored(screen_id)
    return _player_page("mirror", f"/player/mirror/{screen.id}", screen.name)


@blueprint.get("/mirror/<id:screen_id>/program.json")
@require_role("viewer")
def mirror_program(screen_id: int) -> Response:
    return jsonify(paired=True, **_screen_program(_mirrored(screen_id)))


@blueprint.get("/mirror/<id:screen_id>/poll")
@require_role("viewer")
def mirror_poll(screen_id: int) -> Response:
    screen = _mirrored(screen_id)
    return jsonify(
        paired=True,
        version=_screen_program(screen)["version"],
        emergency=emergency_for(db_session(), screen),
        entry=screen.current_entry_id,
        page=screen.current_page,
    )


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


@blueprint.post("/<slug>/heartbeat")
@csrf.exempt  # a screen has no session; it only reports what it shows
def heartbeat(slug: str) -> Response:
    screen = _screen(slug)
    body = _json_body()
    record_heartbeat(db_session(), screen, body)
    acked = body.get("acked")
    return jsonify(
        ok=True, acked=acknowledge(db_session(), screen, acked if isinstance(acked, list) else [])
    )


@blueprint.post("/<slug>/failures")
@csrf.exempt
def failure(slug: str) -> Response:
    screen = _screen(slug)
    body = _json_body()
    report_failure(
        db_session(), screen, body.get("entry"), body.get("reason", ""), body.get("detail", "")
    )
    return jsonify(ok=True)


@blueprint.post("/<slug>/plays")
@csrf.exempt
def plays(slug: str) -> Response:
    screen = _screen(slug)
    rows = _json_body().get("plays")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise InputError("播放记录必须是对象的列表。")
    return jsonify(added=record_plays(db_session(), screen, rows))
