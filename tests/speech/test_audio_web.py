from datetime import timedelta

from sqlalchemy import select

from kiosk.catalog.models import Item
from kiosk.db import utcnow
from kiosk.notices.models import Notice
from kiosk.speech.services import speech_of


def _first_item_code(app) -> str:
    with app.extensions["kiosk_db"].session() as session:
        return session.scalars(select(Item.code).where(Item.status == "已公开")).first()


def _notice_id(app, **changes) -> int:
    with app.extensions["kiosk_db"].session() as session:
        notice = session.scalars(select(Notice).order_by(Notice.id)).first()
        for name, value in changes.items():
            setattr(notice, name, value)
        return notice.id


def test_item_audio_is_queued_then_served_with_range(demo_app):
    client = demo_app.test_client()
    code = _first_item_code(demo_app)
    first = client.get(f"/audio/item/{code}")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    assert first.json["parts"]
    speech_of(demo_app).wait_idle()
    ready = client.get(f"/audio/item/{code}").json
    assert ready["ready"] is True and ready["failed"] == ""
    url = ready["parts"][0]["urls"]["ogg"]
    with client.get(url) as whole:
        assert whole.status_code == 200
        assert whole.mimetype == "audio/ogg"
        assert whole.data[:4] == b"OggS"
    with client.get(url, headers={"Range": "bytes=0-99"}) as part:
        assert part.status_code == 206
        assert len(part.data) == 100
        assert part.headers["Content-Range"].startswith("bytes 0-99/")
    with client.get(ready["parts"][0]["urls"]["wav"]) as wav:
        assert wav.mimetype == "audio/wav" and wav.data[:4] == b"RIFF"


def test_notice_audio_and_slow_rate_are_other_files(demo_app):
    client = demo_app.test_client()
    notice = _notice_id(demo_app)
    normal = client.get(f"/audio/notice/{notice}").json
    slow = client.get(f"/audio/notice/{notice}?rate=slow").json
    assert len(normal["parts"]) == len(slow["parts"]) > 1
    assert normal["parts"][0]["urls"] != slow["parts"][0]["urls"]
    speech_of(demo_app).wait_idle()


def test_unknown_hidden_or_bad_requests_are_refused(demo_app):
    client = demo_app.test_client()
    assert client.get("/audio/item/NO-SUCH-ITEM").status_code == 404
    assert client.get("/audio/notice/999999").status_code == 404
    assert client.get("/audio/notice/abc").status_code == 404
    assert client.get("/audio/song/1").status_code == 404
    expired = _notice_id(demo_app, expires_at=utcnow() - timedelta(days=1))
    assert client.get(f"/audio/notice/{expired}").status_code == 404
    code = _first_item_code(demo_app)
    response = client.get(f"/audio/item/{code}?rate=fast")
    assert response.status_code == 400
    assert "normal" in response.json["error"]
    assert client.get("/audio/files/../../kiosk.db.wav").status_code == 404
    assert client.get("/audio/files/" + "0" * 32 + ".ogg").status_code == 404
    assert client.get("/audio/files/" + "0" * 32 + ".mp3").status_code == 404


def test_notice_of_another_village_is_not_read(app_factory):
    app = app_factory(demo=True, KIOSK_REGION="示范县/青山乡/石桥村")
    with app.extensions["kiosk_db"].session() as session:
        other = Notice(title="东村通知", body="东村的通知。", region="示范县/城关镇/东村")
        session.add(other)
        session.flush()
        other_id = other.id
    assert app.test_client().get(f"/audio/notice/{other_id}").status_code == 404


def test_item_page_has_the_read_aloud_controls(demo_app):
    code = _first_item_code(demo_app)
    html = demo_app.test_client().get(f"/items/{code}").get_data(as_text=True)
    assert f'data-parts-url="/audio/item/{code}"' in html
    for label in ("朗读", "重听", "慢速", "音量"):
        assert label in html
    assert "/static/screens/read_aloud.js" in html
    assert "<script>" not in html
