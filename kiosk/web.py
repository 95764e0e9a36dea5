"""Helpers that views share: the request's database session and role checks."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session


def db_session() -> Session:
    """One session per request; the view commits what it changes."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["kiosk_db"].sessions()
    return g.db_session
