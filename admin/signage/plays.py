"""Proof of play: the latest plays, and all of them as a spreadsheet for staff."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask.typing import ResponseReturnValue

from admin.signage.common import blueprint, zone
from kiosk.accounts.auth import require_role
from kiosk.exports import csv_download
from kiosk.signage.plays import PLAY_COLUMNS, list_plays, play_rows, seconds_of
from kiosk.web import db_session

SHOWN = 500


@blueprint.get("/plays")
@require_role("viewer")
def plays() -> ResponseReturnValue:
    return render_template(
        "admin/signage/plays.html",
        plays=list_plays(db_session(), limit=SHOWN),
        shown=SHOWN,
        seconds_of=seconds_of,
    )


@blueprint.get("/plays.csv")
@require_role("viewer")
def plays_csv() -> ResponseReturnValue:
    stamp = datetime.now(zone()).strftime("%Y%m%d-%H%M")
    rows = play_rows(list_plays(db_session(), limit=None), zone())
    return csv_download(f"播放记录-{stamp}.csv", PLAY_COLUMNS, rows)
