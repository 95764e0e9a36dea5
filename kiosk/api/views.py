"""Endpoints the hall nodes call on the central catalog, and the OpenAPI document."""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, request, send_file
from werkzeug.exceptions import HTTPException

from kiosk.answers.centre import feed_answers
from kiosk.api.openapi import openapi_document
from kiosk.applications.centre import feed_statuses
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.parsing import optional_whole_number
from kiosk.signage.county import signage_section
from kiosk.signage.emergency import emergencies_for_halls
from kiosk.sync.changes import DEFAULT_PAGE, MAX_PAGE, CursorAhead, CursorTooOld, change_page
from kiosk.sync.inbox import store_batch, validate_batch
from kiosk.sync.nodes import authenticate_node, note_poll, poll_worth_noting
from kiosk.sync.schema_parts import MAX_CURSOR
from kiosk.sync.snapshot import snapshot_file, snapshot_manifest, snapshot_root
from kiosk.web import db_session, read_session
from kiosk.writebehind import later

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def json_bytes(document: Any) -> bytes:
    # Canonical form: the same content always hashes to the same ETag.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def json_response(document: Any, status: int = 200) -> Response:
    return Response(json_bytes(document), status, content_type="application/json")


def error(status: int, code: str, message: str, **extra: Any) -> Response:
    return json_response({"error": code, "message": message, **extra}, status)


@blueprint.errorhandler(HTTPException)
def http_error(exception: HTTPException) -> Response:
    return error(
        exception.code or 500,
        exception.name.lower().replace(" ", "_"),
        exception.description or exception.name,
    )


@blueprint.before_request
def authenticate() -> Response | None:
    if request.endpoint == "api.openapi":
        return None
    if current_app.config["KIOSK_ROLE"] != "central":
        abort(404)
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    node = authenticate_node(db_session(), token.strip()) if scheme.lower() == "bearer" else None
    if node is None:
        response = error(
            401, "unauthorized", "a valid node token is required (Authorization: Bearer TOKEN)"
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="kiosk"'
        return response
    g.node = node
    return None


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    value = optional_whole_number(request.args.get(name), name, low=low, high=high, typed=False)
    return default if value is None else value


@blueprint.get("/changes")
def changes() -> Response:
    try:
        cursor = _int_arg("cursor", 0, 0, MAX_CURSOR)
        limit = _int_arg("limit", DEFAULT_PAGE, 1, MAX_PAGE)
        answers_after = _int_arg("answers", 0, 0, MAX_CURSOR)
        applications_after = _int_arg("applications", 0, 0, MAX_CURSOR)
    except InputError as bad:
        return error(400, "bad_request", str(bad))
    node = g.node
    session = read_session()
    try:
        try:
            page = change_page(session, node.region, cursor, limit)
        except CursorAhead:
            if session is db_session():
                raise
            # The replica is behind what this node already holds: the primary answers.
            session = db_session()
            page = change_page(session, node.region, cursor, limit)
    except CursorTooOld as too_old:
        return error(
            410,
            "cursor_too_old",
            "deletions after this cursor were purged; start again from cursor 0",
            reset=True,
            purged_through=too_old.args[0],
        )
    except CursorAhead as ahead:
        return error(
            409,
            "cursor_ahead",
            "the node's cursor is newer than this catalog",
            latest=ahead.args[0],
        )
    now = utcnow()
    if poll_worth_noting(node, cursor, now):
        node_id = node.id
        later(lambda writes: note_poll(writes, node_id, cursor, now))
    # The county's emergency notices ride on every answer; a change to them changes the
    # ETag, so a hall that is up to date still learns of one at its next poll.
    page["emergencies"] = emergencies_for_halls(session, node.region)
    page["signage"] = signage_section(session, node.region)  # county playlists, likewise
    # Answers have their own cursor (the hall's last answer): a hall that took a snapshot
    # still receives every answer published before it.
    page["answers"] = feed_answers(session, node, answers_after)
    page["applications"] = feed_statuses(session, applications_after)
    body = json_bytes(page)
    tag = hashlib.sha256(body).hexdigest()[:32]
    compress = request.accept_encodings["gzip"] > 0
    # A strong ETag names exact bytes: the gzip form gets its own.
    etag = f"{tag}-gz" if compress else tag
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if etag in request.if_none_match:
        return Response(status=304, headers=headers)
    if compress:
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return Response(body, 200, headers=headers, content_type="application/json")


@blueprint.post("/outbox")
def outbox() -> Response:
    document = request.get_json(silent=True)
    try:
        entries = validate_batch(document)
    except InputError as bad:
        return error(400, "bad_request", str(bad))
    session = db_session()
    try:
        stored = store_batch(session, g.node, entries, current_app.config)
    except InputError as refused:
        return error(400, "bad_request", str(refused))
    # Every key in the batch is now held here (new or from an earlier delivery).
    return json_response({"acknowledged": [entry["key"] for entry in entries], "stored": stored})


@blueprint.get("/snapshot")
def snapshot() -> Response:
    """Where the node's whole catalog at the current version is, built on first demand."""
    return json_response(
        snapshot_manifest(read_session(), snapshot_root(current_app.config), g.node.region)
    )


@blueprint.get("/snapshots/<name>")
def snapshot_download(name: str) -> Response:
    # Only the node's own scope: another region's file is not found for it.
    path = snapshot_file(snapshot_root(current_app.config), g.node.region, name)
    if path is None:
        abort(404, "no such snapshot for this node (it may have been replaced by a newer one)")
    # Immutable and named by its hash; conditional=True answers Range requests (206).
    return send_file(
        path,
        mimetype="application/gzip",
        conditional=True,
        etag=name.removesuffix(".json.gz"),
        max_age=365 * 24 * 3600,
    )


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return json_response(openapi_document())
