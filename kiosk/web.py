"""Helpers that views share: the request's database session, safe redirects, addresses."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, request
from sqlalchemy.orm import Session


def db_session() -> Session:
    """One session per request; the view commits what it changes."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["kiosk_db"].sessions()
    return g.db_session


def local_path(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site (a next= to follow), else `fallback`."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return fallback


def public_base() -> str:
    """Where residents' phones reach this node's pages: KIOSK_PUBLIC_URL, or this node."""
    return current_app.config["KIOSK_PUBLIC_URL"] or request.host_url
