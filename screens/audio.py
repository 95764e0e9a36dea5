"""Read-aloud audio for items, notices and the pages' spoken answers (screens/phrases.py):
a JSON list of sentence parts, then the files.

The list answers at once; parts not yet synthesised are queued and marked not ready, and
the page asks again. Finished audio is served from the cache with Range support.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request, send_file, url_for

from kiosk.errors import InputError
from kiosk.speech.services import FORMATS, readable_text, speech_of
from kiosk.web import db_session
from screens.attachments import row_text_of
from screens.phrases import PHRASES
from screens.presentation import hall_region

blueprint = Blueprint("audio", __name__, url_prefix="/audio")


@blueprint.get("/<any(item, notice, phrase, row):kind>/<key>")
def parts(kind: str, key: str):
    if kind == "phrase":  # what the pages say back (screens/phrases.py), never free text
        text = PHRASES.get(key)
    elif kind == "row":  # a row of a table attached to an item
        text = row_text_of(key, current_app.config["KIOSK_REGION"])
    else:
        text = readable_text(db_session(), kind, key, hall_region())
    if text is None:
        abort(404)
    try:
        found = speech_of(current_app).parts(text, request.args.get("rate", "normal"))
    except InputError as error:
        return {"error": str(error)}, 400
    failed = next((part.failed for part in found if part.failed), "")
    response = {
        "ready": all(part.ready for part in found),
        "failed": "朗读暂时不可用" if failed else "",
        "parts": [
            {
                "ready": part.ready,
                "urls": {fmt: url_for("audio.file", key=part.key, fmt=fmt) for fmt in FORMATS},
            }
            for part in found
        ],
    }
    return response, 200, {"Cache-Control": "no-store"}


@blueprint.get("/files/<key>.<fmt>")
def file(key: str, fmt: str):
    try:
        path = speech_of(current_app).cached(key, fmt)
    except InputError:
        abort(404)
    if path is None:
        abort(404)
    # Named by the hash of what it says: never changes, so browsers may keep it.
    return send_file(path, mimetype=FORMATS[fmt], conditional=True, max_age=86400)
