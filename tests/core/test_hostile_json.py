"""JSON no honest client sends gets a 400, never a server error."""

from __future__ import annotations

import pytest

from kiosk.jsonio import BadJSON, strict_loads
from kiosk.signage import services
from kiosk.sync.nodes import add_node

DEEP = "[" * 50_000 + "]" * 50_000
HOSTILE = [
    DEEP,
    '{"a": ' * 50_000 + "1" + "}" * 50_000,
    '{"entry": NaN}',
    '{"entry": Infinity}',
    '{"title": "\\ud800"}',
    '{"\\udfff": 1}',
    "[" * 65 + "]" * 65,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t[:12])
def test_strict_loads_refuses(text):
    with pytest.raises(BadJSON):
        strict_loads(text)


def test_ordinary_json_passes():
    assert strict_loads('{"a": [1, 2.5, "低保", {"b": null}]}') == {
        "a": [1, 2.5, "低保", {"b": None}]
    }
    assert strict_loads(b'{"big": 1000000000000000000000000000000}')["big"] == 10**30


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t[:12])
def test_player_reports_refuse_hostile_json(app, text):
    with app.extensions["kiosk_db"].session() as session:
        screen = services.register_screen(session, "lobby", services.device_hash("t"))
        services.claim_screen(session, screen.pairing_code, "大厅", None, "test")
    client = app.test_client()
    client.set_cookie("kiosk_screen_device", "t", path="/player/")
    for path in ("/player/lobby/heartbeat", "/player/lobby/plays", "/player/lobby/failures"):
        answer = client.post(path, data=text, content_type="application/json")
        assert answer.status_code == 400, path


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t[:12])
def test_the_centre_outbox_refuses_hostile_json(app_factory, text):
    centre = app_factory(KIOSK_ROLE="central")
    with centre.extensions["kiosk_db"].session() as session:
        _node, token = add_node(session, "东村", "示范县", actor="test")
    answer = centre.test_client().post(
        "/api/v1/outbox",
        data=text,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 400
