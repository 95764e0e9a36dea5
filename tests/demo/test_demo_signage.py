"""`kiosk demo` also loads a demo signage set: /player/demo plays at once."""

from __future__ import annotations

from kiosk.blobs.services import store_of
from kiosk.demo.signage import load_demo_signage
from kiosk.signage.models import Media


def test_the_demo_screen_plays_the_demo_playlist(demo_app):
    with demo_app.extensions["kiosk_db"].session() as session:
        assert "screen /player/demo" in load_demo_signage(session, store_of(demo_app))
    with demo_app.extensions["kiosk_db"].session() as session:
        assert load_demo_signage(session, store_of(demo_app)) == "demo signage already loaded"
        assert {m.original_name for m in session.query(Media)} == {
            "演示海报-通知.png",
            "演示办事指南.pdf",
        }
    screen = demo_app.test_client()
    assert screen.get("/player/demo").status_code == 200
    assert screen.post("/player/demo/register").get_json()["paired"] is True
    program = screen.get("/player/demo/program.json").get_json()
    kinds = [entry["kind"] for entry in program["entries"]]
    assert kinds == ["notice", "notice", "item", "image", "pdf"]
    assert program["entries"][4]["pages"] == [1, 2]
    assert screen.get("/player/attract/program.json").status_code == 200
