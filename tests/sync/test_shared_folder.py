"""A centre as two processes on one PostgreSQL database and one shared folder: either one
answers what the other started (a snapshot one built, a staff session one signed)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import requests

from kiosk.accounts.services import create_user
from kiosk.serve import serve_in_thread
from kiosk.sync.nodes import add_node
from kiosk.sync.snapshot import decode_snapshot
from tests.conftest import TEST_PASSWORD, Auth
from tests.sync.conftest import ITEM, VILLAGE

pytestmark = pytest.mark.usefixtures("postgres_server")


@pytest.fixture
def pair(app_factory, postgres_server, tmp_path: Path):
    shared = tmp_path / "shared"
    shared.mkdir()
    url = postgres_server.new_database()
    return [
        app_factory(
            name=name, KIOSK_ROLE="central", KIOSK_DATABASE_URL=url, KIOSK_SHARED_PATH=str(shared)
        )
        for name in ("centre-a", "centre-b")
    ]


def test_a_snapshot_built_by_one_process_is_served_by_the_other(pair):
    first, second = pair
    with first.extensions["kiosk_db"].session() as session:
        from kiosk.catalog.services import upsert_item

        for code in ("V1", "V2"):
            document = {**ITEM, "code": code, "name": f"事项{code}", "region": VILLAGE}
            upsert_item(session, {**document, "level": "村级"}, actor="test")
        token = add_node(session, "hall", VILLAGE, actor="test")[1]
    headers = {"Authorization": f"Bearer {token}"}
    with serve_in_thread(first) as a, serve_in_thread(second) as b:
        manifest = requests.get(f"{a}/api/v1/snapshot", headers=headers, timeout=10).json()
        answer = requests.get(f"{b}/api/v1/{manifest['url']}", headers=headers, timeout=10)
        assert requests.get(f"{b}/api/v1/snapshot", headers=headers, timeout=10).json() == manifest
    assert answer.status_code == 200 and len(answer.content) == manifest["size"]
    snapshot = decode_snapshot(answer.content)
    assert [item["code"] for item in snapshot.items] == ["V1", "V2"]
    # Streamed to disk, still one gzip member with a header line naming the item lines.
    header = json.loads(gzip.decompress(answer.content).split(b"\n", 1)[0])
    assert header["items"] == 2 and header["cursor"] == manifest["cursor"]


def test_a_staff_session_signed_by_one_process_opens_the_admin_at_the_other(pair):
    first, second = pair
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert not (Path(first.instance_path) / "secret_key").exists()
    with first.extensions["kiosk_db"].session() as session:
        create_user(session, "county", "county_admin", TEST_PASSWORD, actor="test")
    at_first = first.test_client()
    Auth(at_first).login("county")
    cookie = at_first.get_cookie("session")
    assert cookie is not None
    at_second = second.test_client()
    at_second.set_cookie("session", cookie.value)
    assert at_second.get("/admin/").status_code == 200
