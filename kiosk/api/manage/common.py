"""What the management endpoints share: the blueprint, the staff key of the call, role
checks, the audit of every call, bodies read and checked against their schema, answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache, wraps
from typing import Any, TypeVar

import fastjsonschema
from flask import Blueprint, Response, abort, current_app, g, jsonify, request
from sqlalchemy.orm import Session

from kiosk.accounts.keys import StaffKey, authenticate_key
from kiosk.api.manage.schema import MANAGE_SCHEMAS
from kiosk.audit.services import record
from kiosk.db import Base
from kiosk.errors import InputError
from kiosk.jsonio import BadJSON, strict_loads
from kiosk.settings import hall_zone
from kiosk.sync.validation import describe
from kiosk.web import db_session
from kiosk.writebehind import later

blueprint = Blueprint("manage_api", __name__, url_prefix="/api/v1")
M = TypeVar("M", bound=Base)
View = Callable[..., Any]
NO_KEY = "需要有效的管理密钥（请求头 Authorization: Bearer 密钥），请县级管理员在“API 密钥”页签发。"


def json_error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    return response


@blueprint.before_request
def authenticate() -> Response | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    key = authenticate_key(db_session(), secret.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        response = json_error(401, "unauthorized", NO_KEY)
        response.headers["WWW-Authenticate"] = 'Bearer realm="kiosk"'
        return response
    g.staff_key = key
    return None


@blueprint.after_request
def audit_call(response: Response) -> Response:
    """Every call in the audit log: who (the key), what (method and path), the answer."""
    key: StaffKey | None = g.get("staff_key")
    actor = key.actor if key is not None else "（无效密钥）"
    target = f"{request.method} {request.path}"[:200]
    status = response.status_code
    later(lambda writes: record(writes, actor, "api.call", target, None, {"status": status}))
    return response


def staff_key() -> StaffKey:
    key: StaffKey = g.staff_key
    return key


def actor() -> str:
    return staff_key().actor


def needs(role: str) -> Callable[[View], View]:
    """403 (JSON, in Chinese) for a key whose role is below `role`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not staff_key().has_role(role):
                return json_error(
                    403, "forbidden", "这个密钥的权限不够做这件事，请用权限更高的密钥。"
                )
            return view(*args, **kwargs)

        return wrapper

    return decorator


def found(session: Session, model: type[M], ident: int) -> M:
    row = session.get(model, ident)
    if row is None:
        abort(404)
    return row


@cache
def _validator(name: str) -> Callable[[Any], Any]:
    schema = {**MANAGE_SCHEMAS[name], "components": {"schemas": MANAGE_SCHEMAS}}
    return fastjsonschema.compile(schema, use_default=False)


def body(schema: str) -> dict[str, Any]:
    """The request's JSON object, checked against `schema`; InputError (400) otherwise."""
    try:
        document = strict_loads(request.get_data())
    except BadJSON as bad:
        raise InputError(str(bad)) from None
    except ValueError:
        raise InputError("请求的正文要是 JSON 格式。") from None
    try:
        _validator(schema)(document)
    except fastjsonschema.JsonSchemaValueException as failure:
        raise InputError(describe(failure).replace("整个回答", "请求正文")) from None
    if not isinstance(document, dict):  # the schemas are objects; this tells mypy
        raise InputError("请求正文要是 JSON 对象。")
    return document


def local(moment: datetime | None) -> str | None:
    """A stored time as local time with its offset (2026-12-02T09:30:00+08:00)."""
    if moment is None:
        return None
    return moment.astimezone(hall_zone(current_app.config)).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def answer(document: Any, status: int = 200) -> Response:
    response = jsonify(document)
    response.status_code = status
    return response


def no_content() -> Response:
    return Response(status=204)
