"""Who is signed in, and role checks for admin views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, g, redirect, request, session, url_for

from kiosk.accounts.models import User
from kiosk.accounts.services import get_user
from kiosk.web import db_session

SESSION_USER = "user_id"
SESSION_VERSION = "session_version"


def current_user() -> User | None:
    """The signed-in staff member, if the session cookie is still valid on the server."""
    if "admin_user" not in g:
        user_id = session.get(SESSION_USER)
        user = get_user(db_session(), user_id) if isinstance(user_id, int) else None
        valid = (
            user is not None
            and user.active
            and session.get(SESSION_VERSION) == user.session_version
        )
        g.admin_user = user if valid else None
    return g.admin_user


def sign_in(user: User) -> None:
    session.clear()  # a fresh session on sign-in: no fixation
    session[SESSION_USER] = user.id
    session[SESSION_VERSION] = user.session_version


def acting_user() -> User:
    """The signed-in staff member, in a view behind `require_role`."""
    user = current_user()
    if user is None:
        abort(401)
    return user


def require_role(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed-out visitors go to the sign-in page; signed-in ones without the role get 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("admin.login", next=request.full_path))
            if not user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
