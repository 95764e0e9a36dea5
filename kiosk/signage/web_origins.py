"""The sites web-page entries may show (网页白名单): a county admin adds and removes them in
the admin, each change audit-logged; the player frames only these origins."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit.services import record, record_removal
from kiosk.errors import InputError
from kiosk.signage.models import WebOrigin

log = logging.getLogger("kiosk.signage")


def origin_of(text: str) -> str:
    """'https://www.gov.cn/' -> 'https://www.gov.cn'; only a scheme and a host (and port)."""
    text = text.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = urlsplit("")
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise InputError(
            f"“{text[:100]}”不是网站地址，请写成 https://www.gov.cn 这样（不带路径）。", "origin"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(session: Session) -> list[str]:
    return list(session.scalars(select(WebOrigin.origin).order_by(WebOrigin.origin)))


def list_origins(session: Session) -> list[WebOrigin]:
    return list(session.scalars(select(WebOrigin).order_by(WebOrigin.origin)))


def add_origin(session: Session, text: str, actor: str) -> WebOrigin:
    origin = origin_of(text)
    if session.scalar(select(WebOrigin).where(WebOrigin.origin == origin)) is not None:
        raise InputError(f"{origin} 已经在名单里了。", "origin")
    added = WebOrigin(origin=origin, added_by=actor)
    session.add(added)
    session.flush()
    record(
        session, actor, "signage.web_origin.add", f"web_origin:{added.id}", None, {"origin": origin}
    )
    return added


def remove_origin(session: Session, origin: WebOrigin, actor: str) -> None:
    record_removal(
        session,
        actor,
        "signage.web_origin.remove",
        f"web_origin:{origin.id}",
        {"origin": origin.origin},
        origin,
    )


def adopt_setting(session: Session, value: str) -> int:
    """The deprecated KIOSK_SIGNAGE_WEB_ORIGINS, read once into an empty list."""
    if not value.strip():
        return 0
    log.warning(
        "KIOSK_SIGNAGE_WEB_ORIGINS is deprecated: the county admin manages the web-page "
        "origins in the admin (信息发布 → 网页白名单); remove the variable"
    )
    if session.scalar(select(WebOrigin.id).limit(1)) is not None:
        return 0
    added = 0
    for text in value.split(","):
        try:
            origin = origin_of(text)
        except InputError:
            log.warning("KIOSK_SIGNAGE_WEB_ORIGINS: %r is not an origin, skipped", text.strip())
            continue
        if origin not in allowed_origins(session):
            add_origin(session, origin, "system")
            added += 1
    return added


def init_app(app: Flask) -> None:
    value = app.config["KIOSK_SIGNAGE_WEB_ORIGINS"]
    if value.strip():
        with app.extensions["kiosk_db"].session() as session:
            adopt_setting(session, value)
