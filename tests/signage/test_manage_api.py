"""The management API: keys made in the admin, CRUD through the same services the admin
pages call, role refusals, revoked keys, hostile input, the audit of every call."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.accounts.keys import StaffKey
from kiosk.audit.models import AuditEntry
from kiosk.serve import serve_in_thread
from kiosk.signage.models import Playlist, ScreenGroup
from kiosk.writebehind import flush_now
from tests.conftest import csrf_token_of
from tests.signage.conftest import add_notice, claimed_screen

ISSUED = re.compile(r'<code id="issued-key">([^<]+)</code>')


@pytest.fixture
def make_key(signed_in: Callable[..., FlaskClient]) -> Callable[..., str]:
    """make_key(role): a key made on the admin page by a county admin, as shown once."""
    admin = signed_in("county", "county_admin")

    def make(role: str = "hall_manager", name: str | None = None) -> str:
        page = admin.get("/admin/api-keys")
        assert page.status_code == 200
        answer = admin.post(
            "/admin/api-keys",
            data={
                "name": name or f"程序-{role}",
                "role": role,
                "csrf_token": csrf_token_of(page.get_data(as_text=True)),
            },
        )
        assert answer.status_code == 200
        found = ISSUED.search(answer.get_data(as_text=True))
        assert found, "the new key is shown on the page"
        return found.group(1)

    make.admin = admin  # type: ignore[attr-defined]
    return make


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_is_shown_once_and_only_its_hash_is_kept(signage_app: Flask, make_key):
    key = make_key("viewer", "只读程序")
    with signage_app.extensions["kiosk_db"].session() as session:
        stored = session.scalars(select(StaffKey)).one()
        assert stored.name == "只读程序" and stored.role == "viewer"
        assert key not in (stored.key_hash, stored.hint) and len(stored.key_hash) == 64
    again = make_key.admin.get("/admin/api-keys").get_data(as_text=True)
    assert key not in again and "只读程序" in again and stored.hint in again


def test_groups_and_playlists_are_listed_created_changed_and_removed(signage_app: Flask, make_key):
    client, key = signage_app.test_client(), bearer(make_key())
    created = client.post("/api/v1/groups", json={"name": "一楼大厅"}, headers=key)
    assert created.status_code == 201, created.get_json()
    group = created.get_json()
    assert group["layout"] == "standard"
    changed = client.put(
        f"/api/v1/groups/{group['id']}",
        json={"name": "一楼大厅", "layout": "fullscreen"},
        headers=key,
    )
    assert changed.get_json()["layout"] == "fullscreen"
    assert [g["name"] for g in client.get("/api/v1/groups", headers=key).get_json()] == ["一楼大厅"]

    playlist = client.post("/api/v1/playlists", json={"name": "政策解读"}, headers=key).get_json()
    with signage_app.extensions["kiosk_db"].session() as session:
        notice = add_notice(session, "医保缴费提醒").id
    entry = client.post(
        f"/api/v1/playlists/{playlist['id']}/entries",
        json={"kind": "notice", "notice_id": notice, "duration": 15},
        headers=key,
    )
    assert entry.status_code == 201, entry.get_json()
    entry_id = entry.get_json()["id"]
    assert entry.get_json()["name"] == "医保缴费提醒"
    switched = client.patch(
        f"/api/v1/playlists/{playlist['id']}/entries/{entry_id}",
        json={"enabled": False, "duration": 20},
        headers=key,
    ).get_json()
    assert switched["enabled"] is False and switched["duration"] == 20
    assert switched["notice_id"] == notice  # fields not sent keep their value
    got = client.get(f"/api/v1/playlists/{playlist['id']}", headers=key).get_json()
    assert [e["id"] for e in got["entries"]] == [entry_id]

    path = f"/api/v1/playlists/{playlist['id']}/entries/{entry_id}"
    assert client.delete(path, headers=key).status_code == 204
    assert client.delete(f"/api/v1/groups/{group['id']}", headers=key).status_code == 204
    assert client.delete(f"/api/v1/playlists/{playlist['id']}", headers=key).status_code == 204
    with signage_app.extensions["kiosk_db"].session() as session:
        assert session.scalars(select(ScreenGroup)).all() == []
        assert session.scalars(select(Playlist)).all() == []


def test_screens_schedules_emergencies_and_plays(signage_app: Flask, make_key):
    client, key = signage_app.test_client(), bearer(make_key())
    with signage_app.extensions["kiosk_db"].session() as session:
        screen = claimed_screen(session, "hall-1", "大厅一号屏").id
    screens = client.get("/api/v1/screens", headers=key).get_json()
    assert [(s["name"], s["paired"]) for s in screens] == [("大厅一号屏", True)]
    renamed = client.patch(f"/api/v1/screens/{screen}", json={"name": "东门屏"}, headers=key)
    assert renamed.get_json()["name"] == "东门屏"

    playlist = client.post("/api/v1/playlists", json={"name": "午间"}, headers=key).get_json()
    schedule = client.post(
        "/api/v1/schedules",
        json={"playlist_id": playlist["id"], "screen_id": screen, "windows": "11:30—13:30"},
        headers=key,
    )
    assert schedule.status_code == 201, schedule.get_json()
    assert schedule.get_json()["windows"] == [["11:30", "13:30"]]
    assert len(client.get("/api/v1/schedules", headers=key).get_json()) == 1

    notice = client.post(
        "/api/v1/emergencies", json={"title": "暴雨预警", "minutes": 30}, headers=key
    )
    assert notice.status_code == 201
    assert [n["title"] for n in client.get("/api/v1/emergencies", headers=key).get_json()] == [
        "暴雨预警"
    ]
    cleared = client.delete(f"/api/v1/emergencies/{notice.get_json()['id']}", headers=key)
    assert cleared.status_code == 204
    assert client.get("/api/v1/emergencies", headers=key).get_json() == []
    assert client.get(f"/api/v1/plays?screen_id={screen}", headers=key).get_json() == []
    sid = schedule.get_json()["id"]
    assert client.delete(f"/api/v1/schedules/{sid}", headers=key).status_code == 204


def test_a_viewer_key_reads_but_changes_nothing(signage_app: Flask, make_key):
    client, key = signage_app.test_client(), bearer(make_key("viewer"))
    assert client.get("/api/v1/playlists", headers=key).status_code == 200
    refused = client.post("/api/v1/playlists", json={"name": "不该有"}, headers=key)
    assert refused.status_code == 403
    assert "权限" in refused.get_json()["message"]
    with signage_app.extensions["kiosk_db"].session() as session:
        assert session.scalars(select(Playlist)).all() == []


def test_a_hall_manager_cannot_make_a_key_nor_a_key_above_its_maker(signage_app: Flask, signed_in):
    manager = signed_in("manager", "hall_manager")
    assert manager.get("/admin/api-keys").status_code == 403


def test_a_revoked_or_unknown_key_opens_nothing(signage_app: Flask, make_key):
    client, key = signage_app.test_client(), make_key("viewer")
    assert client.get("/api/v1/screens", headers=bearer(key)).status_code == 200
    assert client.get("/api/v1/screens").status_code == 401
    assert client.get("/api/v1/screens", headers=bearer("hk_not-a-key")).status_code == 401
    admin = make_key.admin
    with signage_app.extensions["kiosk_db"].session() as session:
        key_id = session.scalars(select(StaffKey.id)).one()
    page = admin.get("/admin/api-keys").get_data(as_text=True)
    revoked = admin.post(
        f"/admin/api-keys/{key_id}/revoke", data={"csrf_token": csrf_token_of(page)}
    )
    assert revoked.status_code == 302
    refused = client.get("/api/v1/screens", headers=bearer(key))
    assert refused.status_code == 401
    assert "密钥" in refused.get_json()["message"]
    assert "已吊销" in admin.get("/admin/api-keys").get_data(as_text=True)


def test_a_node_token_does_not_open_the_management_api(app_factory, make_key):
    central = app_factory(KIOSK_ROLE="central", name="centre")
    from kiosk.sync.nodes import add_node

    with central.extensions["kiosk_db"].session() as session:
        _node, token = add_node(session, "东村", "示范县/城关镇/东村", actor="test")
    client = central.test_client()
    assert client.get("/api/v1/changes", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/screens", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "x", "layout": "standard", "default_playlist_id": 99999999999999999999}',
        b'{"name": "x", "default_playlist_id": "\xef\xbc\x91"}',
        b"[" * 5000 + b"]" * 5000,
        b'{"name": NaN}',
        b'{"name": "\\ud800"}',
        b"not json",
        b'{"name": ""}',
        b'{"name": "x", "extra": 1}',
        b'{"name": "x", "default_playlist_id": 12345}',
    ],
)
def test_hostile_bodies_are_refused_in_chinese(signage_app: Flask, make_key, body: bytes):
    client, key = signage_app.test_client(), bearer(make_key())
    answer = client.post(
        "/api/v1/groups", data=body, headers={**key, "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    message = answer.get_json()["message"]
    assert re.search(r"[\u4e00-\u9fff]", message), message


def test_hostile_ids_and_queries_are_not_server_errors(signage_app: Flask, make_key):
    client, key = signage_app.test_client(), bearer(make_key())
    assert client.get("/api/v1/groups/99999999999999999999", headers=key).status_code == 404
    assert client.get("/api/v1/groups/١٢", headers=key).status_code == 404
    assert client.get("/api/v1/plays?limit=١٢", headers=key).status_code == 400
    assert client.get("/api/v1/plays?screen_id=" + "9" * 40, headers=key).status_code == 400


def test_every_call_is_audit_logged(signage_app: Flask, make_key):
    client, key = signage_app.test_client(), bearer(make_key(name="排期程序"))
    client.post("/api/v1/playlists", json={"name": "审计"}, headers=key)
    client.get("/api/v1/playlists", headers=key)
    client.get("/api/v1/playlists", headers=bearer("hk_wrong"))
    flush_now(signage_app)
    with signage_app.extensions["kiosk_db"].session() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        calls = [(r.actor, r.target, r.after) for r in rows if r.action == "api.call"]
        created = [r.actor for r in rows if r.action == "signage.playlist.create"]
    assert calls == [
        ("密钥:排期程序", "POST /api/v1/playlists", {"status": 201}),
        ("密钥:排期程序", "GET /api/v1/playlists", {"status": 200}),
        ("（无效密钥）", "GET /api/v1/playlists", {"status": 401}),
    ]
    assert created == ["密钥:排期程序"]  # the service's own entry names the key too
    log = make_key.admin.get("/admin/audit").get_data(as_text=True)
    assert "管理接口 · 调用" in log


def test_a_real_server_takes_an_upload_with_a_key(signage_app: Flask, make_key):
    key = make_key()
    with serve_in_thread(signage_app) as url:
        refused = requests.post(
            url + "/api/v1/media",
            files={"file": ("说明.txt", b"plain text")},
            headers=bearer(key),
            timeout=10,
        )
        assert refused.status_code == 400 and "只能上传" in refused.json()["message"]
        listed = requests.get(url + "/api/v1/media", headers=bearer(key), timeout=10)
        assert listed.status_code == 200 and listed.json() == []


def test_the_openapi_document_lists_every_management_path(signage_app: Flask):
    document = signage_app.test_client().get("/api/v1/openapi.json").get_json()
    rules = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in signage_app.url_map.iter_rules()
        if rule.endpoint.startswith("manage_api.")
    }
    assert rules <= set(document["paths"])
    for path in rules:
        for method, operation in document["paths"][path].items():
            assert operation["security"] == [{"staffKey": []}], (path, method)
    assert "staffKey" in document["components"]["securitySchemes"]


def test_a_body_with_unknown_fields_is_told_which_fields_there_are(signage_app: Flask, make_key):
    client, key = signage_app.test_client(), bearer(make_key())
    answer = client.post("/api/v1/playlists", json={"name": "x", "名字": "y"}, headers=key)
    assert answer.status_code == 400
    assert answer.get_json()["message"] == "请求正文有不认识的字段（只能有 name）"


def test_a_county_playlist_stays_read_only_at_a_hall(signage_app: Flask, make_key):
    client, key = signage_app.test_client(), bearer(make_key())
    with signage_app.extensions["kiosk_db"].session() as session:
        county = Playlist(name="县级·政策解读", county_ref="c-1")
        session.add(county)
        session.flush()
        county_id = county.id
    listed = client.get(f"/api/v1/playlists/{county_id}", headers=key).get_json()
    assert listed["county"] is True
    refused = client.delete(f"/api/v1/playlists/{county_id}", headers=key)
    assert refused.status_code == 400
    assert "县级播放列表" in refused.get_json()["message"]
    added = client.post(
        f"/api/v1/playlists/{county_id}/entries",
        json={"kind": "qr", "url": "https://example.cn/"},
        headers=key,
    )
    assert added.status_code == 400
    with signage_app.extensions["kiosk_db"].session() as session:
        assert session.get(Playlist, county_id).entries == []
