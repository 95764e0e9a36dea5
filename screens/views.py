"""Resident touch pages. Thin: the services decide what is listed and found."""

from __future__ import annotations

import secrets
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session

from kiosk.answers.hall import ask as ask_question
from kiosk.answers.hall import grouped
from kiosk.catalog.elements import DISCLOSURE_TYPES
from kiosk.catalog.qr import item_address, qr_svg
from kiosk.catalog.search import clean_query
from kiosk.catalog.search import search as search_catalog
from kiosk.catalog.services import get_visible_item
from kiosk.errors import InputError
from kiosk.extensions import csrf
from kiosk.handwriting import Unavailable, recognize
from kiosk.jsonio import BadJSON, strict_loads
from kiosk.notices.services import NOTICE_KINDS, current_notices, get_current_notice
from kiosk.parsing import optional_whole_number
from kiosk.settings import hall_name
from kiosk.signage.emergency import emergency_for
from kiosk.sync.local import file_own_outbox
from kiosk.usage.models import QUESTION_TOPICS, RATINGS
from kiosk.usage.services import (
    check_post_rate,
    popular_items,
    record_rating,
    record_search,
    record_view,
)
from kiosk.web import db_session, discard_changes, local_path, public_base
from kiosk.writebehind import later
from screens import script
from screens.attachments import attachments_of
from screens.cache import memo
from screens.phrases import PHRASES, spoken_key
from screens.presentation import hall_region, public
from screens.services import (
    Browse,
    ItemSummary,
    category_tiles,
    content_sections,
    domain_tiles,
    items_page,
    removed_domain,
    type_tiles,
)
from screens.summary import summary_of

MAX_PAGE = 10_000  # deeper than any catalog's results; a bigger number is a typo or a probe
blueprint = Blueprint(
    "screens",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/screens",
)


def page_number() -> int:
    return optional_whole_number(request.args.get("page"), "页码", low=1, high=MAX_PAGE) or 1


@blueprint.app_context_processor
def hall_context():
    return {
        "hall_name": hall_name(current_app.config),
        "idle_seconds": current_app.config["KIOSK_IDLE_SECONDS"],
        "idle_warning_seconds": current_app.config["KIOSK_IDLE_WARNING_SECONDS"],
        "traditional": script.wants_traditional(),
    }


@blueprint.app_template_global()
def back_url(step: Browse) -> str:
    """One step up the browse path: the back button's target."""
    typed: dict[str, Any] = {"type": step.disclosure_type} if step.disclosure_type else {}
    if step.category2:
        return url_for("screens.browse", domain=step.domain, c1=step.category1, **typed)
    if step.category1:
        return url_for("screens.browse", domain=step.domain, **typed)
    if step.disclosure_type:
        return url_for("screens.browse", **typed)
    return url_for("screens.home")


@blueprint.app_template_filter("place")
def place(region: str) -> str:
    """The region's own name in words: 示范县/城关镇/东村 → 东村."""
    return region.rsplit("/", 1)[-1]


@blueprint.after_request
def convert_script(response: Response) -> Response:
    if (
        script.wants_traditional()
        and response.mimetype == "text/html"
        and not response.direct_passthrough
    ):
        response.set_data(script.to_traditional_html(response.get_data(as_text=True)))
    if not public():
        response.headers.setdefault("Cache-Control", "no-store")  # a shared screen keeps nothing
    return response


@blueprint.get("/")
def home():
    session, region = db_session(), hall_region()
    village_hall = region.count("/") == 2
    cached = memo()
    return render_template(
        "screens/home.html",
        domains=cached.get(("domains", region, ""), lambda: domain_tiles(session, region)),
        types=cached.get(("types", region), lambda: type_tiles(session, region)),
        emergency=emergency_for(session, None),
        notices=current_notices(session, region, "通知公告", limit=4),
        village_notices=current_notices(
            session, region, "村务公开", limit=4 if village_hall else 2
        ),
        popular=cached.get(
            ("popular", region),
            lambda: [ItemSummary.of(item) for item in popular_items(session, region)],
        ),
    )


@blueprint.get("/browse")
def browse():
    args = request.args
    step = Browse(
        domain=args.get("domain", ""),
        category1=args.get("c1", ""),
        category2=args.get("c2"),
        disclosure_type=args.get("type", ""),
    )
    if step.disclosure_type and step.disclosure_type not in DISCLOSURE_TYPES:
        abort(404)
    session, region = db_session(), hall_region()
    if not step.domain:
        return render_template(
            "screens/browse_domains.html",
            step=step,
            tiles=memo().get(
                ("domains", region, step.disclosure_type),
                lambda: domain_tiles(session, region, step.disclosure_type),
            ),
        )
    tiles = (
        []
        if step.category2 is not None
        else memo().get(("categories", region, step), lambda: category_tiles(session, region, step))
    )
    if step.category1 and [tile.label for tile in tiles] == [""]:
        tiles = []  # this 一级分类 has no 二级分类: straight to its items
    if tiles:
        return render_template("screens/browse_categories.html", step=step, tiles=tiles)
    items, page, pages = items_page(session, region, step, page_number())
    if not items:
        abort(404)
    return render_template(
        "screens/browse_items.html", step=step, items=items, page=page, pages=pages
    )


@blueprint.get("/items/<code>")
def item(code: str):
    session = db_session()
    found = get_visible_item(session, code, hall_region())
    if found is None:
        return _gone_or_missing(session, code)
    viewed = found.code
    later(lambda writes: record_view(writes, viewed))
    sections = content_sections(found.content)
    return render_template(
        "screens/item.html",
        item=found,
        sections=sections,
        summary=summary_of(found, sections),
        address=item_address(found, public_base()),
        attachments=attachments_of(found),
        ratings=RATINGS,
        topics=QUESTION_TOPICS,
    )


def _gone_or_missing(session, code: str):
    """An item the catalog once published keeps its address: 410 with a way to its domain."""
    domain = removed_domain(session, code)
    if domain is None:
        abort(404)
    return render_template("screens/gone.html", code=code, domain=domain), 410


@blueprint.get("/items/<code>/qr.svg")
def item_qr(code: str):
    found = get_visible_item(db_session(), code, hall_region())
    if found is None:
        abort(404)
    return _qr(item_address(found, public_base()))


def _qr(address: str) -> Response:
    response = make_response(qr_svg(address))
    response.mimetype = "image/svg+xml"
    return response


def notice_address(notice_id: int) -> str:
    """Where a phone opens the notice: its page under the public address."""
    return public_base().rstrip("/") + url_for("screens.notice", notice_id=notice_id)


@blueprint.post("/items/<code>/rating")
def rate(code: str):
    return _collect(
        code,
        lambda session: record_rating(session, code, request.form.get("rating", "")),
        "rated",
        "rating",
    )


@blueprint.post("/items/<code>/question")
def ask(code: str):
    """The question goes up with a reply code; the resident is shown it (and its QR)."""
    return _collect(
        code,
        lambda session: ask_question(
            session, code, request.form.get("topic", ""), request.form.get("phone", "")
        ),
        "asked",
        "question",
        then=_reply_code_shown,
    )


def _reply_code_shown(asked: Any, wants_json: bool):
    """After a question: the reply code beside the button (with a link to its page and QR
    code), or, for a plain form post, that page itself."""
    page = url_for("replies.show", code=asked.reply_code, new=1)
    if not wants_json:
        return redirect(page, 303)
    return {
        "message": f"{PHRASES['asked']}您的回复码是 {grouped(asked.reply_code)}，"
        "凭它在“查回复”里看答复。",
        "speak": "asked",
        "link": {"href": page, "text": "回复码和二维码"},
    }


def _collect(code: str, save, thanks: str, kind: str, then=None):
    """A rating or question: JSON for the page's own fetch (the answer is shown beside the
    button), a flash and a redirect back to the feedback section for a plain form post;
    `then(result, wants_json)` answers instead where the result has more to show."""
    wants_json = request.accept_mimetypes.best == "application/json"
    session = db_session()
    if get_visible_item(session, code, hall_region()) is None:
        abort(404)
    # The touch-screen session: made on its first rating or question, in the signed cookie.
    visit = flask_session.setdefault("visit", secrets.token_urlsafe(12))
    try:
        check_post_rate(session, visit, request.remote_addr or "unknown")
        result = save(session)
        file_own_outbox(session, current_app.config)  # at the centre: on the desk at once
    except InputError as error:
        if wants_json:
            discard_changes()
            said = {"error": str(error), "field": error.field, "speak": spoken_key(error.field)}
            return said, 400
        discard_changes()
        flash(str(error), "error")
        return redirect(url_for("screens.item", code=code, answered=kind, _anchor="feedback"), 303)
    if then is not None:
        return then(result, wants_json)
    if wants_json:
        return {"message": PHRASES[thanks], "speak": thanks}
    flash(PHRASES[thanks], "ok")
    return redirect(url_for("screens.item", code=code, answered=kind, _anchor="feedback"), 303)


@blueprint.get("/search")
def search():
    session, region, page = db_session(), hall_region(), page_number()
    query = clean_query(request.args.get("q", ""))
    # Residents repeat the same few searches: a result page is kept briefly (the items are
    # loaded and never expired, see Database), each search is still recorded.
    results = memo().get(
        ("search", region, query, page), lambda: search_catalog(session, region, query, page)
    )
    if results.query and page_number() == 1:
        query, hits = results.query, results.total
        later(lambda writes: record_search(writes, query, hits))
    partial = request.headers.get("X-Partial") == "results"
    template = "screens/_search_results.html" if partial else "screens/search.html"
    return render_template(
        template,
        results=results,
        domains=[]
        if results.total
        else memo().get(("domains", region, ""), lambda: domain_tiles(session, region)),
    )


MAX_STROKES_BODY = 256 * 1024  # 4,096 points written out are well under this


@blueprint.post("/search/handwriting")
@csrf.exempt  # changes nothing: strokes in, candidate characters out
def handwriting():
    """手写: one character's strokes → candidate characters, best first."""
    if (request.content_length or 0) > MAX_STROKES_BODY:
        return {"error": "笔画数据太大，请清除后重写。"}, 400
    try:
        candidates = recognize(strict_loads(request.get_data()))
    except BadJSON as bad:
        return {"error": str(bad)}, 400
    except InputError as error:
        return {"error": str(error), "field": error.field}, 400
    except ValueError:
        return {"error": "请求内容不是 JSON。"}, 400
    except Unavailable as missing:
        return {"error": str(missing)}, 503
    return {"candidates": candidates}


@blueprint.get("/emergency.json")
def emergency():
    """Polled by the resident home: the emergency notice over every screen, or null."""
    return {"emergency": emergency_for(db_session(), None)}


@blueprint.get("/notices")
def notices():
    kind = request.args.get("kind", "通知公告")
    if kind not in NOTICE_KINDS:
        abort(404)
    return render_template(
        "screens/notices.html",
        kind=kind,
        notices=current_notices(db_session(), hall_region(), kind),
    )


@blueprint.get("/notices/<id:notice_id>")
def notice(notice_id: int):
    found = get_current_notice(db_session(), notice_id, hall_region())
    if found is None:
        abort(404)
    return render_template("screens/notice.html", notice=found, address=notice_address(found.id))


@blueprint.get("/notices/<id:notice_id>/qr.svg")
def notice_qr(notice_id: int):
    if get_current_notice(db_session(), notice_id, hall_region()) is None:
        abort(404)
    return _qr(notice_address(notice_id))


@blueprint.get("/script/<form>")
def choose_script(form: str):
    """简体/繁體 switch; an idle return home resets it to simplified."""
    if form not in ("hans", "hant"):
        abort(404)
    response = redirect(local_path(request.args.get("next"), url_for("screens.home")))
    if form == script.TRADITIONAL:
        response.set_cookie(script.COOKIE, script.TRADITIONAL, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(script.COOKIE)
    return response


@blueprint.get("/reset")
def reset():
    """Where the idle timer sends the screen: home, in simplified, nothing remembered."""
    response = redirect(url_for("screens.home"))
    response.delete_cookie(script.COOKIE)
    response.delete_cookie(current_app.config.get("SESSION_COOKIE_NAME", "session"))
    return response
