"""A paired signage screen's client and a centre's client with a node token."""

from __future__ import annotations

import pytest

from kiosk.signage.screens import claim_screen, device_hash, register_screen
from kiosk.sync.nodes import add_node


@pytest.fixture
def player(app):
    with app.extensions["kiosk_db"].session() as session:
        screen = register_screen(session, "lobby", device_hash("t"))
        claim_screen(session, screen.pairing_code, "大厅", None, "test")
    client = app.test_client()
    client.set_cookie("kiosk_screen_device", "t", path="/player/")
    return client


@pytest.fixture
def centre(app_factory):
    app = app_factory(KIOSK_ROLE="central")
    with app.extensions["kiosk_db"].session() as session:
        _node, token = add_node(session, "东村", "示范县/城关镇/东村", actor="test")
    return app.test_client(), {"Authorization": f"Bearer {token}"}
