"""A paired signage screen's client, a centre's client with a node token, and the sync
fixtures (real centre and halls on loopback)."""

from __future__ import annotations

import pytest

from kiosk.signage.screens import claim_screen, device_hash, register_screen
from kiosk.sync.nodes import add_node
from tests.sync.conftest import (  # noqa: F401 - the sync fixtures: a centre, its halls
    backend,
    central,
    database_url,
    make_hall,
    postgres_server,
)


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
