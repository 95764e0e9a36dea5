"""Signage management at /admin/signage/: screens, groups, playlists, uploads, schedules,
reviews, emergency notices and proof of play. Views are thin callers of kiosk.signage."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from kiosk.accounts.auth import current_user, require_role
from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.notices.models import Notice
from kiosk.parsing import LARGEST, optional_whole_number
from kiosk.review import services as review
from kiosk.review.models import STATE_LABELS as REVIEW_LABELS
from kiosk.settings import hall_zone
from kiosk.signage import media as media_service
from kiosk.signage import services
from kiosk.signage.models import (
    ENTRY_KIND_LABELS,
    ENTRY_KINDS,
    LAYOUT_LABELS,
    LAYOUTS,
    EmergencyNotice,
    Media,
    Playlist,
    PlaylistEntry,
    Schedule,
    Screen,
    ScreenGroup,
)
from kiosk.web import db_session, public_base

blueprint = Blueprint("signage_admin", __name__, url_prefix="/admin/signage")
WEEKDAY_LABELS = ["一", "二", "三", "四", "五", "六", "日"]
PREVIEW_SIZES = ["1920x1080", "1080x1920", "1280x720", "1366x768", "768x1024"]


def init_app(app: Flask) -> None:
    from admin.nav import add_admin_link

    app.register_blueprint(blueprint)
    add_admin_link(app, "signage_admin.screens", "信息发布", "viewer")


@blueprint.app_context_processor
def signage_context():
    return {
        "layout_labels": LAYOUT_LABELS,
        "kind_labels": ENTRY_KIND_LABELS,
        "weekday_labels": WEEKDAY_LABELS,
    }


def actor() -> str:
    return current_user().name


def _get(model: type, ident: int):
    found = db_session().get(model, ident)
    if found is None:
        abort(404)
    return found


def _optional_int(name: str, what: str, high: int = LARGEST) -> int | None:
    return optional_whole_number(request.form.get(name), what, low=0, high=high, field=name)


def _origins() -> list[str]:
    return current_app.config["KIOSK_SIGNAGE_WEB_ORIGINS"].split(",")


def _zone() -> ZoneInfo:
    return hall_zone(current_app.config)


# ---------------------------------------------------------------- screens


@blueprint.get("/")
@require_role("viewer")
def screens():
    database = db_session()
    now = utcnow()
    rows = []
    for screen in services.list_screens(database):
        playing = (
            services.playlist_for(database, screen, now, _zone()) if screen.claimed_at else None
        )
        rows.append(
            {
                "screen": screen,
                "online": services.is_online(screen, now),
                "playlist": playing,
                "layout": services.layout_of(screen),
            }
        )
    return render_template(
        "admin/signage/screens.html",
        rows=rows,
        groups=services.list_groups(database),
        layouts=LAYOUTS,
        sizes=PREVIEW_SIZES,
    )


@blueprint.post("/screens/claim")
@require_role("hall_manager")
def claim():
    screen = services.claim_screen(
        db_session(),
        request.form.get("code", ""),
        request.form.get("name", ""),
        _optional_int("group_id", "分组"),
        actor(),
    )
    flash(f"已配对屏幕 {screen.name}", "ok")
    return redirect(url_for("signage_admin.screens"))


@blueprint.post("/screens/<id:screen_id>")
@require_role("hall_manager")
def update_screen(screen_id: int):
    layout = request.form.get("layout") or None
    services.update_screen(
        db_session(),
        _get(Screen, screen_id),
        request.form.get("name", ""),
        _optional_int("group_id", "分组"),
        layout,
        actor(),
    )
    flash("已保存屏幕设置", "ok")
    return redirect(url_for("signage_admin.screens"))


@blueprint.post("/screens/<id:screen_id>/unpair")
@require_role("hall_manager")
def unpair_screen(screen_id: int):
    screen = services.unpair_screen(db_session(), _get(Screen, screen_id), actor())
    flash(
        f"屏幕 {screen.name} 已解除配对：在要使用的屏幕上打开 /player/{screen.slug}，"
        f"再输入屏上显示的新配对码",
        "ok",
    )
    return redirect(url_for("signage_admin.screens"))


@blueprint.post("/screens/<id:screen_id>/remove")
@require_role("hall_manager")
def remove_screen(screen_id: int):
    services.remove_screen(db_session(), _get(Screen, screen_id), actor())
    flash("已删除屏幕", "ok")
    return redirect(url_for("signage_admin.screens"))


# ---------------------------------------------------------------- groups


@blueprint.get("/groups")
@require_role("viewer")
def groups():
    database = db_session()
    return render_template(
        "admin/signage/groups.html",
        groups=services.list_groups(database),
        playlists=services.list_playlists(database),
        layouts=LAYOUTS,
    )


@blueprint.post("/groups")
@require_role("hall_manager")
def save_group():
    group_id = _optional_int("id", "分组编号")
    group = _get(ScreenGroup, group_id) if group_id is not None else None
    services.save_group(
        db_session(),
        group,
        request.form.get("name", ""),
        request.form.get("layout", "standard"),
        _optional_int("default_playlist_id", "默认播放列表"),
        actor(),
    )
    flash("已保存分组", "ok")
    return redirect(url_for("signage_admin.groups"))


@blueprint.post("/groups/<id:group_id>/remove")
@require_role("hall_manager")
def remove_group(group_id: int):
    services.remove_group(db_session(), _get(ScreenGroup, group_id), actor())
    flash("已删除分组", "ok")
    return redirect(url_for("signage_admin.groups"))


# ---------------------------------------------------------------- playlists


@blueprint.get("/playlists")
@require_role("viewer")
def playlists():
    return render_template(
        "admin/signage/playlists.html", playlists=services.list_playlists(db_session())
    )


@blueprint.post("/playlists")
@require_role("hall_manager")
def create_playlist():
    playlist = services.create_playlist(db_session(), request.form.get("name", ""), actor())
    return redirect(url_for("signage_admin.playlist", playlist_id=playlist.id))


@blueprint.get("/playlists/<id:playlist_id>")
@require_role("viewer")
def playlist(playlist_id: int):
    database = db_session()
    found = _get(Playlist, playlist_id)
    reviews = review.history(database, "playlist", found.id, limit=5)
    notices = list(database.scalars(select(Notice).order_by(Notice.published_at.desc()).limit(200)))
    items = list(database.scalars(visible_items().order_by(Item.code).limit(500)))
    media = list(database.scalars(select(Media).order_by(Media.id.desc())))
    return render_template(
        "admin/signage/playlist.html",
        playlist=found,
        reviews=reviews,
        notices=notices,
        items=items,
        media=media,
        kinds=ENTRY_KINDS,
        sizes=PREVIEW_SIZES,
        steps=current_app.config["KIOSK_REVIEW_STEPS"],
        review_labels=REVIEW_LABELS,
    )


def _entry(playlist_id: int, entry_id: int) -> PlaylistEntry:
    entry = _get(PlaylistEntry, entry_id)
    if entry.playlist_id != playlist_id:
        abort(404)
    return entry


def _back(playlist_id: int) -> Response:
    return redirect(url_for("signage_admin.playlist", playlist_id=playlist_id))


@blueprint.post("/playlists/<id:playlist_id>/entries")
@require_role("hall_manager")
def add_entry(playlist_id: int):
    services.add_entry(db_session(), _get(Playlist, playlist_id), request.form, _origins(), actor())
    flash("已添加条目（提交审核后上屏）", "ok")
    return _back(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/entries/<id:entry_id>")
@require_role("hall_manager")
def update_entry(playlist_id: int, entry_id: int):
    services.update_entry(
        db_session(), _entry(playlist_id, entry_id), request.form, _origins(), actor()
    )
    flash("已保存条目", "ok")
    return _back(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/entries/<id:entry_id>/move")
@require_role("hall_manager")
def move_entry(playlist_id: int, entry_id: int):
    entry = _entry(playlist_id, entry_id)
    index = entry.playlist.entries.index(entry)
    target = {"up": index - 1, "down": index + 1}.get(request.form.get("direction", ""))
    if target is None:
        target = _optional_int("to", "位置")
    if target is None:
        raise InputError("请说明把条目移到哪里：上移、下移或第几位。")
    services.move_entry(db_session(), entry, target, actor())
    return _back(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/entries/<id:entry_id>/enabled")
@require_role("hall_manager")
def toggle_entry(playlist_id: int, entry_id: int):
    entry = _entry(playlist_id, entry_id)
    services.set_entry_enabled(db_session(), entry, request.form.get("enabled") == "1", actor())
    return _back(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/entries/<id:entry_id>/remove")
@require_role("hall_manager")
def remove_entry(playlist_id: int, entry_id: int):
    services.remove_entry(db_session(), _entry(playlist_id, entry_id), actor())
    flash("已删除条目", "ok")
    return _back(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/submit")
@require_role("hall_manager")
def submit(playlist_id: int):
    steps = current_app.config["KIOSK_REVIEW_STEPS"]
    review = services.submit_for_review(
        db_session(), _get(Playlist, playlist_id), steps, public_base(), actor()
    )
    flash(
        "已发布到屏幕"
        if review.status == "approved"
        else f"已提交审核，需要另外 {steps} 人批准后上屏",
        "ok",
    )
    return _back(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/role")
@require_role("hall_manager")
def playlist_role(playlist_id: int):
    services.set_playlist_role(
        db_session(),
        _get(Playlist, playlist_id),
        request.form.get("role", ""),
        request.form.get("on") == "1",
        actor(),
    )
    return _back(playlist_id)


@blueprint.post("/playlists/<id:playlist_id>/remove")
@require_role("hall_manager")
def remove_playlist(playlist_id: int):
    services.remove_playlist(db_session(), _get(Playlist, playlist_id), actor())
    flash("已删除播放列表", "ok")
    return redirect(url_for("signage_admin.playlists"))


@blueprint.get("/playlists/<id:playlist_id>/preview")
@require_role("viewer")
def preview(playlist_id: int):
    """The playlist at a screen's resolution and layout: its draft or what screens play."""
    size = request.args.get("size", PREVIEW_SIZES[0])
    size = size if size in PREVIEW_SIZES else PREVIEW_SIZES[0]
    what = request.args.get("what", "draft")
    what = what if what in ("draft", "published") else "draft"
    layout = request.args.get("layout", "standard")
    layout = layout if layout in LAYOUTS else "standard"
    width, height = (int(n) for n in size.split("x"))
    return render_template(
        "admin/signage/preview.html",
        playlist=_get(Playlist, playlist_id),
        sizes=PREVIEW_SIZES,
        size=size,
        width=width,
        height=height,
        what=what,
        layout=layout,
        layouts=LAYOUTS,
    )


# ---------------------------------------------------------------- reviews


# ---------------------------------------------------------------- uploads


@blueprint.get("/media")
@require_role("viewer")
def media():
    files = list(db_session().scalars(select(Media).order_by(Media.id.desc())))
    return render_template(
        "admin/signage/media.html",
        files=files,
        limit=current_app.config["KIOSK_SIGNAGE_MAX_UPLOAD_MB"],
    )


@blueprint.post("/media")
@require_role("hall_manager")
def upload():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InputError("请选择要上传的文件。", "file")
    folder = media_service.media_dir(current_app.config["KIOSK_INSTANCE_PATH"])
    limit = current_app.config["KIOSK_SIGNAGE_MAX_UPLOAD_MB"] * 1024 * 1024
    saved = media_service.save_upload(
        db_session(), upload.stream, upload.filename, folder, limit, actor()
    )
    flash(f"已上传 {saved.original_name}", "ok")
    return redirect(url_for("signage_admin.media"))


@blueprint.post("/media/<id:media_id>/remove")
@require_role("hall_manager")
def remove_media(media_id: int):
    folder = media_service.media_dir(current_app.config["KIOSK_INSTANCE_PATH"])
    media_service.remove_media(db_session(), _get(Media, media_id), folder, actor())
    flash("已删除文件", "ok")
    return redirect(url_for("signage_admin.media"))


# ---------------------------------------------------------------- schedules


@blueprint.get("/schedules")
@require_role("viewer")
def schedules():
    database = db_session()
    return render_template(
        "admin/signage/schedules.html",
        schedules=services.list_schedules(database),
        playlists=services.list_playlists(database),
        groups=services.list_groups(database),
        screens=[s for s in services.list_screens(database) if s.claimed_at],
    )


@blueprint.post("/schedules")
@require_role("hall_manager")
def create_schedule():
    values = request.form.to_dict()
    values["weekdays"] = "".join(request.form.getlist("weekdays"))
    services.create_schedule(db_session(), values, actor())
    flash("已添加排期", "ok")
    return redirect(url_for("signage_admin.schedules"))


@blueprint.post("/schedules/<id:schedule_id>/remove")
@require_role("hall_manager")
def remove_schedule(schedule_id: int):
    services.remove_schedule(db_session(), _get(Schedule, schedule_id), actor())
    flash("已删除排期", "ok")
    return redirect(url_for("signage_admin.schedules"))


# ---------------------------------------------------------------- emergency notices


@blueprint.get("/emergency")
@require_role("viewer")
def emergency():
    database = db_session()
    return render_template(
        "admin/signage/emergency.html",
        active=services.active_emergencies(database),
        groups=services.list_groups(database),
    )


@blueprint.post("/emergency")
@require_role("hall_manager")
def post_emergency():
    minutes = _optional_int("minutes", "持续分钟数", high=366 * 24 * 60)
    if minutes is not None and minutes <= 0:
        raise InputError("持续分钟数要大于 0；不填表示一直显示到撤下。", "minutes")
    services.post_emergency(
        db_session(),
        request.form.get("title", ""),
        request.form.get("body", ""),
        actor=actor(),
        group_id=_optional_int("group_id", "分组"),
        expires_at=utcnow() + timedelta(minutes=minutes) if minutes else None,
        region=request.form.get("region", ""),
    )
    flash("紧急通知已发布到屏幕", "ok")
    return redirect(url_for("signage_admin.emergency"))


@blueprint.post("/emergency/<id:notice_id>/clear")
@require_role("hall_manager")
def clear_emergency(notice_id: int):
    services.clear_emergency(db_session(), _get(EmergencyNotice, notice_id), actor())
    flash("已撤下紧急通知", "ok")
    return redirect(url_for("signage_admin.emergency"))


# ---------------------------------------------------------------- proof of play


@blueprint.get("/plays")
@require_role("viewer")
def plays():
    database = db_session()
    return render_template(
        "admin/signage/plays.html", plays=services.list_plays(database, limit=500), zone=_zone()
    )


@blueprint.get("/plays.csv")
@require_role("viewer")
def plays_csv():
    body = services.plays_csv(services.list_plays(db_session(), limit=None))
    stamp = datetime.now(_zone()).strftime("%Y%m%d-%H%M")
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=proof-of-play-{stamp}.csv"},
    )
