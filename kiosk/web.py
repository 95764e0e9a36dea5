"""What every request shares: its database session and unit of work, the `id` URL converter,
safe redirects and the public address.

One place commits: after a view has answered, a request that may change things (POST, PUT,
PATCH, DELETE) is committed when its answer is a success and nothing asked to discard it;
everything else is rolled back. Views and services never commit. A GET writes nothing: a
page that wants something kept (a view, a search) hands it to the write-behind buffer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, flash, g, redirect, request
from flask_wtf import FlaskForm
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, ValidationError
from werkzeug.wrappers import Response as WerkzeugResponse

from kiosk.errors import InputError
from kiosk.parsing import ID

log = logging.getLogger("kiosk.web")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")


class IdConverter(BaseConverter):
    """`<id:name>`: a database id written with ASCII digits, at most 18 of them.

    Werkzeug's `int` converter takes any Unicode digit (`²`, `١٢`) and numbers past 64 bits,
    which the database then refuses with an error; here such paths are simply not found.
    """

    regex = ID.pattern
    weight = 50

    def to_python(self, value: str) -> int:
        if not value.isascii() or not value.isdigit():
            raise ValidationError()
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(int(value))


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.after_request(_finish_unit_of_work)
    app.teardown_request(_close_session)
    app.register_error_handler(InputError, _input_refused)


def db_session() -> Session:
    """The request's session; the unit of work commits or rolls it back once."""
    if "db_session" not in g:
        session = current_app.extensions["kiosk_db"].sessions()
        event.listen(session, "after_flush", _note_write)
        g.db_session = session
    return g.db_session


def read_session() -> Session:
    """A session for answers that only read and may be a moment behind (the change feed,
    snapshots): on the read replica when KIOSK_DATABASE_READ_URL names one, else the
    request's own session."""
    replica = current_app.extensions.get("kiosk_read_db")
    if replica is None:
        return db_session()
    if "read_session" not in g:
        g.read_session = replica.sessions()
    return g.read_session


def _note_write(session: Session, _context: Any) -> None:
    session.info["wrote"] = True


def discard_changes() -> None:
    """Keep nothing this request changed (its input was refused and the person told why)."""
    g.discard_changes = True


def keep_changes() -> None:
    """Commit although the answer is a refusal (a wrong password is still counted)."""
    g.keep_changes = True


def _finish_unit_of_work(response: Response) -> Response:
    session: Session | None = g.get("db_session")
    if session is None:
        return response
    keep = request.method not in SAFE_METHODS and (
        g.get("keep_changes", False)
        or (response.status_code < 400 and not g.get("discard_changes", False))
    )
    if keep:
        session.commit()
        return response
    if not (session.info.get("wrote") or _pending(session)):
        return response  # nothing to undo; closing the session ends its transaction
    if request.method in SAFE_METHODS:
        # A page that writes on GET would stall residents behind a sync's write lock.
        message = f"GET {request.path} tried to write to the database; nothing was kept"
        if current_app.testing:
            raise RuntimeError(message)
        log.error(message)
    session.rollback()
    return response


def _pending(session: Session) -> bool:
    return bool(session.new or session.dirty or session.deleted)


def _close_session(_error: BaseException | None) -> None:
    replica: Session | None = g.pop("read_session", None)
    if replica is not None:
        replica.close()
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        # Rolls back the transaction of whatever was not committed. Objects read stay
        # loaded (not expired), so the pages' short-lived memo can keep showing them.
        session.close()


def form_change(form: FlaskForm, change: Callable[[], T]) -> T | None:
    """Run a service call for a submitted form. Refused input becomes the form's error
    message (on the field it names), nothing of the request is kept, and None is returned."""
    try:
        return change()
    except InputError as error:
        discard_changes()
        field = form._fields.get(error.field) if error.field else None
        if field is not None:
            field.errors = [*field.errors, str(error)]
        else:
            form.form_errors.append(str(error))
        return None


def wants_json() -> bool:
    return (
        request.is_json
        or request.path.startswith("/api/")
        or (request.accept_mimetypes.best == "application/json")
    )


def _input_refused(error: InputError) -> WerkzeugResponse | tuple[Any, int]:
    """A view let refused input through: nothing is kept and the person is told why."""
    discard_changes()
    if wants_json():
        return {"error": "bad_request", "message": str(error)}, 400
    if request.method not in SAFE_METHODS:
        return refused(error, _area_page())
    return Response(str(error), 400, mimetype="text/plain")


def _area_page() -> str:
    """Where a refused button sends a browser that sent no Referer: its admin area's page."""
    parts = request.path.split("/")
    for candidate in ("/".join(parts[:3]) + "/", "/".join(parts[:2]) + "/"):
        try:
            current_app.url_map.bind("").match(candidate, "GET")
        except HTTPException:
            continue
        return candidate
    return "/"


def refused(error: InputError, fallback: str) -> WerkzeugResponse:
    """A button's change was refused: say why at the top of the page it was pressed on."""
    discard_changes()
    flash(str(error), "error")
    return redirect(local_path(same_site_path(request.referrer), fallback), 303)


def same_site_path(address: str | None) -> str | None:
    """The path of `address` when it is on this site (a Referer), else None."""
    if not address or not address.startswith(request.host_url):
        return None
    return "/" + address.removeprefix(request.host_url)


def local_path(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site (a next= to follow), else `fallback`."""
    if (
        target
        and target.isprintable()
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return fallback


def public_base() -> str:
    """Where residents' phones reach this node's pages: KIOSK_PUBLIC_URL, or this node."""
    return current_app.config["KIOSK_PUBLIC_URL"] or request.host_url
