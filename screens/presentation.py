"""Two presentations of the same resident pages, on one code path.

A hall node's touch screens get the kiosk presentation: large keys, the on-screen keyboard
and writing pad, the idle return home, the attract loop, nothing kept by the browser. The
centre (where KIOSK_PUBLIC_URL sends phones) gets the public one: a compact header, the
device's own keyboard, no idle timer, and pages a reverse proxy or CDN may keep (Cache-Control,
ETag, 304). Which one is the node's setting (kiosk.settings.is_public), never the browser's.
"""

from __future__ import annotations

import hashlib
import re

from flask import Flask, Response, current_app, request, session
from markupsafe import Markup, escape

from kiosk.settings import is_public

# Pages the public presentation lets a proxy keep (their blueprints).
CACHED = {"screens", "replies", "applications", "public"}
PUBLIC_SECONDS = 60  # a catalog change reaches a proxy's copy within a minute
CSRF_VALUE = re.compile(rb'(name="csrf_token" value=")[^"]*(")')
# 0xxx-xxxxxxx landlines, 1xx xxxx xxxx mobiles and the 12345 citizens' hotline.
PHONE = re.compile(r"(?<![\d-])(0\d{2,3}[-－]?\d{7,8}|1[3-9]\d{9}|12345)(?![\d-])")


def public() -> bool:
    return is_public(current_app.config)


def hall_region() -> str:
    """The region whose items the pages show: a hall's own (with the levels above it); at the
    centre every public item it holds, the county's whole catalog."""
    if current_app.config["KIOSK_ROLE"] == "central":
        return ""
    return current_app.config["KIOSK_REGION"]


def tel_links(text: str) -> Markup:
    """Public pages: text with each phone number in it a `tel:` link, one tap calls it on a
    phone (a hall's touch screen has no phone to call with: plain text there)."""
    if not public():
        return escape(text)

    pieces = PHONE.split(text)  # text, number, text, number, ..., text
    link = Markup('<a href="tel:{}">{}</a>')
    return Markup("").join(
        link.format(re.sub(r"[^0-9]", "", piece), piece) if index % 2 else escape(piece)
        for index, piece in enumerate(pieces)
    )


def presentation_context() -> dict:
    return {"public": public()}


def cache_headers(response: Response) -> Response:
    """Public presentation: Cache-Control and an ETag on every page, 304 for a repeat.
    A page with a form (its CSRF token is the reader's own) or a flashed answer is kept by
    the reader's browser only; the token is left out of the ETag so a repeat still matches."""
    endpoint = request.endpoint or ""
    if (
        not public()
        or request.method not in ("GET", "HEAD")
        or request.blueprint not in CACHED
        or endpoint.endswith(".static")
        or response.status_code != 200
        or response.direct_passthrough
    ):
        return response
    body = response.get_data()
    masked = CSRF_VALUE.sub(rb"\1\2", body)
    personal = masked != body or session.modified
    response.set_etag(hashlib.sha256(masked).hexdigest()[:32])
    if personal:
        response.headers["Cache-Control"] = "private, no-cache"
    elif response.mimetype != "text/html":
        response.headers["Cache-Control"] = "no-cache"  # polled (紧急通知): asked every time
    else:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_SECONDS}"
    response.vary.add("Cookie")  # 繁體 is a cookie: the same address in the other script
    response.make_conditional(request)  # 304 for a repeat with If-None-Match
    return response


def init_app(app: Flask) -> None:
    app.context_processor(presentation_context)
    app.add_template_filter(tel_links)
    app.after_request(cache_headers)
