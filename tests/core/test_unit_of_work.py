"""One place commits per request: success of a changing request commits, anything else rolls
back; a GET writes nothing; ids in paths are ASCII digits; refusals are told in Chinese."""

from __future__ import annotations

import pytest
from flask import Flask, flash
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.audit.services import record
from kiosk.errors import InputError
from kiosk.web import db_session
from kiosk.writebehind import flush_now, later


@pytest.fixture
def routed_app(app: Flask) -> Flask:
    """The app with a few views that change the database in each way a view can."""

    @app.post("/t/ok")
    def ok():
        record(db_session(), "t", "test.ok", "t", None, None)
        return "ok"

    @app.post("/t/refused")
    def refused_change():
        record(db_session(), "t", "test.refused", "t", None, None)
        raise InputError("标题不能为空。")

    @app.post("/t/crash")
    def crash():
        record(db_session(), "t", "test.crash", "t", None, None)
        raise RuntimeError("boom")

    @app.get("/t/read")
    def read_and_write():
        record(db_session(), "t", "test.get", "t", None, None)
        db_session().flush()
        return "x"

    @app.get("/t/later")
    def write_later():
        later(lambda session: record(session, "t", "test.later", "t", None, None))
        return "x"

    @app.get("/t/item/<id:item_id>")
    def item(item_id: int):
        flash(str(item_id))
        return str(item_id)

    app.config["WTF_CSRF_ENABLED"] = False
    return app


def actions(app: Flask) -> list[str]:
    with app.extensions["kiosk_db"].session() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_successful_post_is_committed_once(routed_app):
    assert routed_app.test_client().post("/t/ok").status_code == 200
    assert actions(routed_app) == ["test.ok"]


def test_refused_input_keeps_nothing_and_says_why_in_chinese(routed_app):
    client = routed_app.test_client()
    answer = client.post("/t/refused", headers={"Referer": "http://localhost/t/page"})
    assert answer.status_code == 303 and answer.location.endswith("/t/page")
    with client.session_transaction() as session:
        assert session["_flashes"] == [("error", "标题不能为空。")]
    assert actions(routed_app) == []
    as_json = client.post("/t/refused", json={})
    assert as_json.status_code == 400
    assert as_json.get_json() == {"error": "bad_request", "message": "标题不能为空。"}


def test_a_view_that_fails_keeps_nothing(routed_app):
    routed_app.testing = False  # answer 500 like a real server instead of raising
    answer = routed_app.test_client().post("/t/crash")
    assert answer.status_code == 500 and "系统出错" in answer.get_data(as_text=True)
    assert actions(routed_app) == []


def test_a_get_that_writes_is_a_bug_and_keeps_nothing(routed_app):
    with pytest.raises(RuntimeError, match="GET /t/read tried to write"):
        routed_app.test_client().get("/t/read")
    assert actions(routed_app) == []


def test_a_get_hands_its_writes_to_the_buffer(routed_app):
    assert routed_app.test_client().get("/t/later").status_code == 200
    assert actions(routed_app) == []
    assert flush_now(routed_app) == 1
    assert actions(routed_app) == ["test.later"]


@pytest.mark.parametrize(
    "path",
    ["/t/item/²", "/t/item/①", "/t/item/١٢", "/t/item/99999999999999999999999", "/t/item/-1"],
)
def test_ids_are_ascii_digits_that_fit_64_bits(routed_app, path):
    answer = routed_app.test_client().get(path)
    assert answer.status_code == 404
    assert "页面不存在" in answer.get_data(as_text=True)


def test_a_normal_id_is_read(routed_app):
    assert routed_app.test_client().get("/t/item/42").get_data(as_text=True) == "42"
