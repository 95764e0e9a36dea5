"""One change per admin request: commit and say so, or roll back and say what was wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from sqlalchemy.orm import Session

from kiosk.errors import InputError

T = TypeVar("T")


def commit_change(database: Session, change: Callable[[], T], done: Callable[[T], str]) -> T | None:
    """Run `change` in the request's transaction; None (and nothing written) if refused."""
    try:
        result = change()
        database.commit()
    except InputError as error:
        database.rollback()
        flash(str(error), "error")
        return None
    flash(done(result), "ok")
    return result
