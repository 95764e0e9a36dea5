"""One schema, two uses: the OpenAPI document's components are kiosk/sync/schema.py's objects,
the centre's real answers fit them under JSON Schema 2020-12, the hall's compiled validator
agrees with jsonschema's Draft 2020-12 one, and the centre enforces the bounds they state."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kiosk.api.openapi import openapi_document
from kiosk.outbox.services import enqueue
from kiosk.signage.emergency import post_emergency
from kiosk.sync.hall.checks import (
    check_acknowledgement,
    check_manifest,
    check_page,
    check_snapshot_items,
    conform,
)
from kiosk.sync.hall.errors import SyncError
from kiosk.sync.hall.outbox_push import pending_batch
from kiosk.sync.schema import MAX_BATCH, MAX_KEY, MAX_KIND, SCHEMAS, standalone
from kiosk.sync.schema_parts import MAX_CURSOR, ref
from kiosk.sync.snapshot import decode_snapshot
from tests.sync.conftest import COUNTY, TOWN, VILLAGE, Central


def draft2020(name: str) -> Draft202012Validator:
    return Draft202012Validator(standalone(ref(name)))


@pytest.fixture
def centre(app_factory: Callable[..., Any]) -> Central:
    return Central(app_factory(name="central", KIOSK_ROLE="central"), url="")


def bearer(centre: Central) -> dict[str, str]:
    return {"Authorization": f"Bearer {centre.node()}"}


def test_the_openapi_document_shows_the_very_schemas_the_hall_validates_with(centre):
    assert openapi_document()["components"]["schemas"] is SCHEMAS
    served = centre.app.test_client().get("/api/v1/openapi.json").get_json()
    assert served["components"]["schemas"] == json.loads(json.dumps(SCHEMAS))
    for schema in SCHEMAS.values():
        Draft202012Validator.check_schema(schema)
    cursor = served["paths"]["/changes"]["get"]["parameters"][0]
    assert cursor["name"] == "cursor" and cursor["schema"]["maximum"] == MAX_CURSOR


def test_the_centres_answers_fit_the_schemas_and_pass_the_halls_checks(centre, app_factory):
    centre.put("C1", COUNTY)
    centre.put("T1", TOWN)
    headers = bearer(centre)
    client = centre.app.test_client()
    first = client.get("/api/v1/changes", headers=headers).get_json()
    centre.put("V1", VILLAGE)
    centre.remove("C1")
    with centre.database.session() as session:
        post_emergency(session, "暴雨红色预警", "请立即转移。", actor="county-admin")
    page = client.get(f"/api/v1/changes?cursor={first['cursor']}", headers=headers).get_json()
    assert {change["op"] for change in page["changes"]} == {"upsert", "delete"}
    assert page["emergencies"]
    for answer, since in ((first, 0), (page, first["cursor"])):
        draft2020("ChangePage").validate(answer)
        check_page(copy.deepcopy(answer), since)

    manifest = client.get("/api/v1/snapshot", headers=headers).get_json()
    draft2020("SnapshotManifest").validate(manifest)
    check_manifest(manifest)
    with client.get(f"/api/v1/{manifest['url']}", headers=headers) as download:
        items = decode_snapshot(download.data).items
    Draft202012Validator({"type": "array", "items": ref("Item"), **standalone({})}).validate(items)
    check_snapshot_items("快照", items)

    hall = app_factory(name="hall")
    with hall.extensions["kiosk_db"].session() as session:
        enqueue(session, "usage.rating", {"item_code": "T1", "value": "满意"})
        enqueue(session, "usage.question", {"item_code": "T1", "value": "怎么办理？"})
    with hall.extensions["kiosk_db"].session() as session:
        batch = {"entries": pending_batch(session)}
    draft2020("OutboxBatch").validate(batch)
    ack = client.post("/api/v1/outbox", json=batch, headers=headers).get_json()
    draft2020("OutboxAck").validate(ack)
    check_acknowledgement(ack, [entry["key"] for entry in batch["entries"]])

    for response in (
        client.get("/api/v1/changes"),
        client.get("/api/v1/changes?cursor=x", headers=headers),
        client.get(f"/api/v1/changes?cursor={page['latest'] + 5}", headers=headers),
        client.post("/api/v1/outbox", json={"entries": "none"}, headers=headers),
    ):
        assert response.status_code in (400, 401, 409), response.status_code
        draft2020("Error").validate(response.get_json())


ITEM = {
    "code": "T1",
    "disclosure_type": "服务",
    "domain": "社会救助",
    "category1": "最低生活保障",
    "category2": "",
    "name": "低保申请",
    "content": "申请条件。",
    "basis": "",
    "publisher": "民政办",
    "time_limit": "",
    "channels": "",
    "audience": "",
    "disclosure_form": "主动公开",
    "presentation": "",
    "status": "已公开",
    "service_category": "",
    "item_type": "",
    "remarks": "",
    "level": "乡级",
    "region": TOWN,
    "online_url": "",
    "changed_at": "2026-12-01T06:03:00+00:00",
}
PAGE = {
    "format": 1,
    "since": 10,
    "cursor": 12,
    "latest": 12,
    "more": False,
    "count": 2,
    "changes": [
        {"seq": 11, "op": "upsert", "code": "T1", "item": ITEM},
        {"seq": 12, "op": "delete", "code": "T2"},
    ],
    "emergencies": [{"id": "7", "title": "停水通知", "body": "", "expires_at": None}],
}
MANIFEST = {
    "format": 1,
    "cursor": 12,
    "items": 1,
    "sha256": "a" * 64,
    "size": 300,
    "url": f"snapshots/{'a' * 64}.json.gz",
}
ACK = {"acknowledged": ["k1"], "stored": 1}


def changed(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `document` with the value at `path` (a.b.0.c) replaced, or removed."""
    copied = copy.deepcopy(document)
    *parents, last = path.split(".")
    target: Any = copied
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is REMOVE:
        del target[last]
    else:
        target[int(last) if isinstance(target, list) else last] = value
    return copied


REMOVE = object()
BAD = [
    ("ChangePage", changed(PAGE, "format", 2)),
    ("ChangePage", changed(PAGE, "since", -1)),
    ("ChangePage", changed(PAGE, "cursor", MAX_CURSOR + 1)),
    ("ChangePage", changed(PAGE, "latest", "12")),
    ("ChangePage", changed(PAGE, "more", "yes")),
    ("ChangePage", changed(PAGE, "count", True)),
    ("ChangePage", changed(PAGE, "changes", {})),
    ("ChangePage", changed(PAGE, "changes", [PAGE["changes"][1]] * 1001)),
    ("ChangePage", changed(PAGE, "changes.1.op", "move")),
    ("ChangePage", changed(PAGE, "changes.1.code", "")),
    ("ChangePage", changed(PAGE, "changes.1.code", "C" * 65)),
    ("ChangePage", changed(PAGE, "changes.0.item", REMOVE)),
    ("ChangePage", changed(PAGE, "changes.0.seq", REMOVE)),
    ("ChangePage", changed(PAGE, "changes.0.item.status", "涉密不予公开")),
    ("ChangePage", changed(PAGE, "changes.0.item.level", "省级")),
    ("ChangePage", changed(PAGE, "changes.0.item.region", "")),
    ("ChangePage", changed(PAGE, "changes.0.item.name", REMOVE)),
    ("ChangePage", changed(PAGE, "changes.0.item.name", 5)),
    ("ChangePage", changed(PAGE, "emergencies.0.title", "")),
    ("ChangePage", changed(PAGE, "emergencies.0.id", "9" * 41)),
    ("ChangePage", changed(PAGE, "emergencies.0.body", "雨" * 5001)),
    ("ChangePage", changed(PAGE, "emergencies.0.expires_at", 5)),
    ("SnapshotManifest", changed(MANIFEST, "format", 2)),
    ("SnapshotManifest", changed(MANIFEST, "size", -1)),
    ("SnapshotManifest", changed(MANIFEST, "sha256", "A" * 64)),
    ("SnapshotManifest", changed(MANIFEST, "url", "https://elsewhere.example/x.json.gz")),
    ("SnapshotManifest", changed(MANIFEST, "url", REMOVE)),
    ("OutboxAck", changed(ACK, "stored", -1)),
    ("OutboxAck", changed(ACK, "acknowledged", [1])),
    ("Error", {"error": "bad_request"}),
]


def test_the_hall_and_draft_2020_12_agree_on_good_and_bad_answers():
    for name, good in (
        ("ChangePage", PAGE),
        ("SnapshotManifest", MANIFEST),
        ("OutboxAck", ACK),
        ("Item", ITEM),
    ):
        draft2020(name).validate(good)
        conform("回答", name, good)
    for name, bad in BAD:
        assert not draft2020(name).is_valid(bad), (name, bad)
        with pytest.raises(SyncError, match="不合格，本站没有采用"):
            conform("回答", name, bad)


def test_a_bad_answer_is_named_in_chinese_with_where_it_is():
    def reason(document: dict[str, Any], since: int = 10) -> str:
        with pytest.raises(SyncError) as failure:
            check_page(document, since)
        return str(failure.value).removeprefix("县中心发来的目录变更不合格，本站没有采用：")

    assert reason(changed(PAGE, "changes.0.item.status", "涉密不予公开")) == (
        "changes[0].item.status（公开状态）为“涉密不予公开”，只能是已公开、部分公开"
    )
    assert reason(changed(PAGE, "changes.0.item.name", REMOVE)) == (
        "changes[0].item 缺少 name（事项名称）"
    )
    assert reason(changed(PAGE, "since", "10")) == "since（所问游标）应为整数"
    assert reason(changed(PAGE, "format", 2)).startswith("format（格式版本）为 2，本站只认 1")
    assert reason(changed(PAGE, "changes.0.item.changed_at", "2026-12-01 14:03")) == (
        "changes[0].item.changed_at（变更时间）为“2026-12-01 14:03”，不是带时区的时间"
        "（例如 2026-12-01T14:03:00+08:00）"
    )
    # What a schema cannot say is checked in code, named the same way.
    assert reason(PAGE, since=9) == "它答的是游标 10 之后的变更，本站问的是 9 之后"
    assert reason(changed(PAGE, "count", 3)) == "count 说有 3 条变更，实有 2 条"
    assert reason(changed(PAGE, "changes.1.seq", 11)).startswith(
        "changes[1].seq（序号）11 没有按顺序排在 11 之后"
    )
    assert reason(changed(PAGE, "changes.0.item.code", "T9")) == (
        "changes[0].item.code（事项编码）“T9”与 T1 不符"
    )
    assert reason(changed(PAGE, "cursor", 9), since=10).endswith("拒绝回退")
    with pytest.raises(SyncError, match="url（下载地址）为“https://elsewhere"):
        check_manifest(changed(MANIFEST, "url", "https://elsewhere.example/x.json.gz"))
    with pytest.raises(SyncError, match=r"items\[1\]\.code（事项编码）“T1”重复"):
        check_snapshot_items("目录快照", [ITEM, ITEM])
    with pytest.raises(SyncError, match="1 / 2 条未确认"):
        check_acknowledgement(ACK, ["k1", "k2"])


def test_the_centre_enforces_the_bounds_the_schema_states(centre):
    headers = bearer(centre)
    client = centre.app.test_client()
    assert client.get(f"/api/v1/changes?cursor={MAX_CURSOR + 1}", headers=headers).status_code == (
        400
    )
    assert client.get(f"/api/v1/changes?cursor={MAX_CURSOR}", headers=headers).status_code == 409

    def entry(key: str = "k", kind: str = "usage.view") -> dict[str, Any]:
        return {"key": key, "kind": kind, "payload": {}}

    batches = [
        [entry("")],
        [entry("k" * (MAX_KEY + 1))],
        [entry(kind="")],
        [entry(kind="v" * (MAX_KIND + 1))],
        [entry(str(number)) for number in range(MAX_BATCH + 1)],
        [entry("k" * MAX_KEY, "v" * MAX_KIND)],
        [entry(str(number)) for number in range(MAX_BATCH)],
    ]
    for entries in batches:
        batch = {"entries": entries}
        answer = client.post("/api/v1/outbox", json=batch, headers=headers)
        fits = draft2020("OutboxBatch").is_valid(batch)
        assert answer.status_code == (200 if fits else 400), (len(entries), entries[0])
