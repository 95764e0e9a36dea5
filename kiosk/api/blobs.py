"""`GET /api/v1/blobs/<sha256>`: a file the node's part of the catalog or its signage uses,
immutable and named by its content, with Range for downloads that go on after a cut."""

from __future__ import annotations

from flask import abort, current_app, g, send_file
from werkzeug.wrappers import Response

from kiosk.api.views import blueprint
from kiosk.blobs.services import needs, store_of
from kiosk.blobs.store import SHA256
from kiosk.web import db_session

YEAR = 365 * 24 * 3600


@blueprint.get("/blobs/<sha256>")
def blob(sha256: str) -> Response:
    # Only a file something in the node's scope uses: a hash is no key to other files.
    if not SHA256.fullmatch(sha256) or sha256 not in needs(db_session(), g.node.region):
        abort(404)
    store = store_of(current_app)
    if not store.has(sha256):
        abort(404)
    return send_file(
        store.path(sha256),
        mimetype="application/octet-stream",
        conditional=True,
        etag=sha256,
        max_age=YEAR,
    )
