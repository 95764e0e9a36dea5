"""What the signage admin areas share: the blueprint, the acting user, look-ups that 404,
choices for drop-downs, and submitting a form to a service."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app
from wtforms.fields.choices import SelectChoice

from kiosk.blobs.uploads import size_text
from kiosk.db import Base
from kiosk.errors import InputError
from kiosk.forms import Form, options
from kiosk.settings import hall_zone
from kiosk.signage.models import ENTRY_KIND_LABELS, LAYOUT_LABELS
from kiosk.signage.web_origins import allowed_origins
from kiosk.web import db_session, form_change
from kiosk.weekdays import WEEKDAY_LABELS

blueprint = Blueprint("signage_admin", __name__, url_prefix="/admin/signage")
T = TypeVar("T")
M = TypeVar("M", bound=Base)


@blueprint.app_context_processor
def signage_context() -> dict[str, Any]:
    return {
        "layout_labels": LAYOUT_LABELS,
        "kind_labels": ENTRY_KIND_LABELS,
        "weekday_labels": WEEKDAY_LABELS,
        "kind_of_file": kind_of_file,
    }


@blueprint.app_template_filter("filesize")
def filesize(size: int) -> str:
    return size_text(size)


def kind_of_file(mime: str) -> str:
    family = mime.split("/", 1)[0]
    return {"image": "图片", "video": "视频"}.get(family, "PDF")


def get_or_404(model: type[M], ident: int) -> M:
    found = db_session().get(model, ident)
    if found is None:
        abort(404)
    return found


def zone() -> ZoneInfo:
    return hall_zone(current_app.config)


def web_origins() -> list[str]:
    return allowed_origins(db_session())


def id_choices(rows: Iterable[Any], empty: str | None, label: str = "name") -> list[SelectChoice]:
    """Rows as choices of an IdChoiceField; `empty` labels the "" (none) choice."""
    none = [("", empty)] if empty is not None else []
    return options([*none, *((row.id, getattr(row, label)) for row in rows)])


def submitted(form: Form, change: Callable[[], T]) -> T | None:
    """The service's result for a valid form it accepts; else None, with the messages beside
    the fields (the caller shows the page again, 400) and nothing of the request kept."""
    if not form.validate_on_submit():
        return None
    return form_change(form, change)


def checked(form: Form) -> None:
    """A button's hidden choices were tampered with: refuse (flashed on the page it was on)."""
    if not form.validate_on_submit():
        messages = [message for errors in form.errors.values() for message in errors]
        raise InputError(str(messages[0]) if messages else "请从页面上的按钮操作。")
