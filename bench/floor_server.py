"""`kiosk serve` plus one constant page, the floor the touch pages are compared with."""

from __future__ import annotations

import sys

from kiosk.app import create_app
from kiosk.serve import serve_forever

FLOOR_PAGE = "<!doctype html><title>floor</title><p>constant</p>"


def main(port: int) -> None:
    app = create_app()
    app.add_url_rule("/_floor", "floor", lambda: FLOOR_PAGE)
    serve_forever(app, "127.0.0.1", port, app.config["KIOSK_THREADS"])


if __name__ == "__main__":
    main(int(sys.argv[1]))
