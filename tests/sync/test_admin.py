"""Admin pages: a county admin issues and revokes node tokens; a hall shows its sync status."""

from __future__ import annotations

import re

from sqlalchemy import select

from kiosk.sync.inbox import store_batch, validate_batch
from kiosk.sync.models import SyncNode
from kiosk.sync.nodes import add_node, token_hash
from tests.conftest import Auth, signed_in


def test_a_county_admin_issues_and_revokes_node_tokens(app_factory):
    central = app_factory(name="central", KIOSK_ROLE="central")
    client = signed_in(central, "county_admin", "county_admin")
    page = client.get("/admin/nodes")
    assert page.status_code == 200
    auth = Auth(client)
    response = client.post(
        "/admin/nodes",
        data={
            "name": "东村服务站",
            "region": "示范县/城关镇/东村",
            "csrf_token": auth.token("/admin/nodes"),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    token = re.search(r'<code id="issued-token">([^<]+)</code>', html).group(1)
    with central.extensions["kiosk_db"].session() as session:
        node = session.scalar(select(SyncNode))
        assert node.token_hash == token_hash(token) and token not in node.token_hash
    bearer = {"Authorization": f"Bearer {token}"}
    assert central.test_client().get("/api/v1/changes", headers=bearer).status_code == 200

    assert client.post(f"/admin/nodes/{node.id}/revoke").status_code == 400  # no CSRF token
    revoked = client.post(
        f"/admin/nodes/{node.id}/revoke", data={"csrf_token": auth.token("/admin/nodes")}
    )
    assert revoked.status_code == 302
    assert "已吊销" in client.get("/admin/nodes").get_data(as_text=True)
    assert central.test_client().get("/api/v1/changes", headers=bearer).status_code == 401


def test_only_a_county_admin_manages_nodes(app_factory):
    central = app_factory(name="central", KIOSK_ROLE="central")
    client = signed_in(central, "hall_manager", "hall_manager")
    assert client.get("/admin/nodes").status_code == 403


def test_the_hall_admin_shows_the_sync_status(app_factory):
    hall = app_factory(name="hall", KIOSK_CENTRAL_URL="http://127.0.0.1:9")
    client = signed_in(hall, "viewer", "viewer")
    html = client.get("/admin/sync").get_data(as_text=True)
    assert "目录版本 0" in html and "已有事项" in html and "目录同步" in html
    assert client.get("/admin/nodes").status_code == 403


def test_the_centre_lists_what_the_halls_sent_up(app_factory):
    central = app_factory(name="central", KIOSK_ROLE="central")
    with central.extensions["kiosk_db"].session() as session:
        node, _token = add_node(session, "东村服务站", "示范县/城关镇/东村", "test")
        store_batch(
            session,
            node,
            validate_batch(
                {
                    "entries": [
                        {
                            "key": "k1",
                            "kind": "usage.question",
                            "payload": {
                                "item_code": "C1",
                                "value": "希望工作人员联系我",
                                "phone": "13800138000",
                            },
                        },
                        {
                            "key": "k2",
                            "kind": "usage.rating",
                            "payload": {"item_code": "C1", "value": "不满意"},
                        },
                        {"key": "k3", "kind": "usage.view", "payload": {"item_code": "C1"}},
                    ]
                }
            ),
        )
    client = signed_in(central, "viewer", "viewer")
    page = client.get("/admin/received").get_data(as_text=True)
    # The full number only on the questions desk, to a county admin, logged.
    assert "东村服务站" in page and "138****8000" in page and "不满意" in page
    assert "13800138000" not in page
    assert "<td>usage.view</td><td>1</td>" in page
    hall = signed_in(app_factory(name="hall"), "viewer", "viewer")
    assert hall.get("/admin/received").status_code == 404
