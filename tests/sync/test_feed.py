"""The central catalog's API over real HTTP: tokens, scope, paging, gzip, ETag and 304."""

from __future__ import annotations

import gzip
import json
import re
import socket
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from sqlalchemy import select, update

from kiosk.db import utcnow
from kiosk.sync.changes import purge_tombstones
from kiosk.sync.models import CatalogTombstone
from tests.sync.conftest import COUNTY, OTHER_TOWN, TOWN, VILLAGE


def get(central, path: str, token: str | None, **kwargs) -> requests.Response:
    headers = kwargs.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.get(central.url + path, headers=headers, timeout=10, **kwargs)


def test_openapi_document_describes_every_endpoint(central):
    response = requests.get(central.url + "/api/v1/openapi.json", timeout=10)
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    # Flask's /snapshots/<name> is OpenAPI's /snapshots/{name}.
    rules = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in central.app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert rules == set(document["paths"])
    assert {"Item", "ChangePage", "OutboxBatch", "Error"} <= set(document["components"]["schemas"])


def test_a_node_needs_a_valid_unrevoked_token(central):
    token = central.node()
    assert get(central, "/api/v1/changes", None).status_code == 401
    assert get(central, "/api/v1/changes", "not-a-token").status_code == 401
    assert get(central, "/api/v1/changes", token).status_code == 200
    with central.database.session() as session:
        from kiosk.sync.nodes import revoke_node

        revoke_node(session, "hall", actor="test")
    response = get(central, "/api/v1/changes", token)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_node_gets_its_region_and_the_levels_above_and_only_public_items(central):
    central.put("C1", COUNTY)
    central.put("T1", TOWN)
    central.put("V1", VILLAGE)
    central.put("O1", OTHER_TOWN)
    central.put("S1", VILLAGE, status="涉密不予公开")
    central.put("P1", TOWN, status="待公开")
    central.put("H1", TOWN, status="部分公开")
    page = get(central, "/api/v1/changes?cursor=0", central.node()).json()
    assert sorted(change["code"] for change in page["changes"]) == ["C1", "H1", "T1", "V1"]
    assert page["more"] is False and page["cursor"] == page["latest"]
    body = json.dumps(page, ensure_ascii=False)
    assert "涉密不予公开" not in body and "待公开" not in body and "河西镇" not in body


def test_pages_follow_the_sequence_not_an_offset(central):
    token = central.node()
    for number in range(5):
        central.put(f"I{number}")
    first = get(central, "/api/v1/changes?cursor=0&limit=2", token).json()
    assert [c["code"] for c in first["changes"]] == ["I0", "I1"] and first["more"]
    # A change while the node pages: the changed item moves to the end, nothing is skipped.
    central.put("I0", content="新内容")
    codes, cursor, more = [c["code"] for c in first["changes"]], first["cursor"], True
    while more:
        page = get(central, f"/api/v1/changes?cursor={cursor}&limit=2", token).json()
        codes += [c["code"] for c in page["changes"]]
        cursor, more = page["cursor"], page["more"]
    assert codes == ["I0", "I1", "I2", "I3", "I4", "I0"]
    assert get(central, "/api/v1/changes?limit=0", token).status_code == 400
    assert get(central, "/api/v1/changes?cursor=-1", token).status_code == 400
    assert get(central, f"/api/v1/changes?cursor={cursor + 5}", token).status_code == 409


def test_removed_and_no_longer_public_items_become_tombstones(central):
    token = central.node()
    central.put("A")
    central.put("B")
    central.put("M")
    cursor = get(central, "/api/v1/changes", token).json()["cursor"]
    central.remove("A")
    central.put("B", status="涉密不予公开")
    central.put("M", region=OTHER_TOWN)
    page = get(central, f"/api/v1/changes?cursor={cursor}", token).json()
    assert [(c["op"], c["code"]) for c in page["changes"]] == [
        ("delete", "A"),
        ("delete", "B"),
        ("delete", "M"),
    ]
    assert all("item" not in change for change in page["changes"])


def raw_get(url: str, path: str, headers: dict[str, str]) -> bytes:
    """The exact bytes of an HTTP/1.1 exchange: status line, headers and body."""
    parts = urlsplit(url)
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def test_gzip_strong_etag_and_a_small_304_when_nothing_changed(central):
    token = central.node()
    for number in range(30):
        central.put(f"G{number}", content="办理流程说明。" * 20)
    plain = get(central, "/api/v1/changes", token, headers={"Accept-Encoding": "identity"})
    with requests.get(
        central.url + "/api/v1/changes",
        timeout=10,
        stream=True,
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"},
    ) as zipped:
        raw = zipped.raw.read()
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(raw)) == plain.json()
    assert len(raw) < len(plain.content) / 3
    assert plain.headers["ETag"] != zipped.headers["ETag"]
    assert not plain.headers["ETag"].startswith("W/")

    cursor = plain.json()["cursor"]
    path = f"/api/v1/changes?cursor={cursor}"
    quiet = get(central, path, token, headers={"Accept-Encoding": "gzip"})
    etag = quiet.headers["ETag"]
    exchange = raw_get(
        central.url,
        path,
        {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip", "If-None-Match": etag},
    )
    assert exchange.startswith(b"HTTP/1.1 304")
    head, _, body = exchange.partition(b"\r\n\r\n")
    assert body == b""
    assert len(exchange) < 800, exchange.decode()
    # Something new for this node: the same poll is a 200 again.
    central.put("G99", region=COUNTY)
    again = get(central, path, token, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.json()["changes"][0]["code"] == "G99"


def test_a_cursor_older_than_the_kept_tombstones_is_answered_too_old(central):
    token = central.node()
    central.put("A")
    central.put("B")
    cursor = get(central, "/api/v1/changes", token).json()["cursor"]
    central.remove("A")
    central.put("C")
    with central.database.session() as session:
        session.execute(update(CatalogTombstone).values(at=utcnow() - timedelta(days=500)))
        assert purge_tombstones(session, keep_days=400) == 1
    response = get(central, f"/api/v1/changes?cursor={cursor}", token)
    assert response.status_code == 410
    assert response.json()["reset"] is True
    assert get(central, "/api/v1/changes?cursor=0", token).status_code == 200


def test_outbox_batches_are_stored_once_per_key(central):
    token = central.node()
    batch = {
        "entries": [
            {
                "key": "k1",
                "kind": "rating",
                "payload": {"stars": 5},
                "created_at": "2026-11-27T01:00:00+00:00",
            },
            {"key": "k2", "kind": "question", "payload": {"text": "几点开门？"}},
        ]
    }
    headers = {"Authorization": f"Bearer {token}"}
    first = requests.post(central.url + "/api/v1/outbox", json=batch, headers=headers, timeout=10)
    second = requests.post(central.url + "/api/v1/outbox", json=batch, headers=headers, timeout=10)
    assert first.json() == {"acknowledged": ["k1", "k2"], "stored": 2}
    assert second.json() == {"acknowledged": ["k1", "k2"], "stored": 0}
    bad = requests.post(
        central.url + "/api/v1/outbox",
        headers=headers,
        timeout=10,
        json={"entries": [{"key": "k3", "kind": "rating", "payload": 5}]},
    )
    assert bad.status_code == 400
    assert "entries[0].payload" in bad.json()["message"]
    # No CSRF token is needed (token-authenticated) but a token is.
    assert requests.post(central.url + "/api/v1/outbox", json=batch, timeout=10).status_code == 401


def test_the_centre_purges_old_tombstones_in_a_background_job(central):
    jobs = central.app.extensions["kiosk_jobs"].jobs
    assert "tombstone-purge" in jobs and "catalog-sync" not in jobs
    central.put("A")
    central.remove("A")
    with central.database.session() as session:
        session.execute(update(CatalogTombstone).values(at=utcnow() - timedelta(days=500)))
    central.app.extensions["kiosk_jobs"].run_once("tombstone-purge")
    with central.database.session() as session:
        assert session.scalar(select(CatalogTombstone)) is None


def test_a_hall_node_serves_no_change_feed(app):
    client = app.test_client()
    assert client.get("/api/v1/changes").status_code == 404
    assert client.post("/api/v1/outbox", json={"entries": []}).status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 200
