"""A hall node pulling from a central node, both real waitress servers on loopback."""

from __future__ import annotations

import json
import logging
import socket
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from kiosk.audit.models import AuditEntry
from kiosk.catalog.models import Item
from kiosk.db import utcnow
from kiosk.outbox.models import OutboxEntry
from kiosk.outbox.services import enqueue
from kiosk.serve import serve_in_thread
from kiosk.sync.changes import purge_tombstones
from kiosk.sync.hall.errors import SyncBusy, SyncError
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.hall.state import get_state, sync_lock
from kiosk.sync.models import CatalogChange, CatalogTombstone, ReceivedRecord
from kiosk.sync.nodes import revoke_node
from tests.sync.conftest import COUNTY, OTHER_TOWN, TOWN, VILLAGE


def held(hall) -> dict[str, Item]:
    with hall.extensions["kiosk_db"].session() as session:
        return {item.code: item for item in session.scalars(select(Item))}


def state(hall):
    with hall.extensions["kiosk_db"].session() as session:
        return get_state(session)


def dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_first_incremental_deletion_and_secret_status_reach_the_hall(central, make_hall):
    central.put("C1", COUNTY)
    central.put("T1", TOWN)
    central.put("V1", VILLAGE)
    central.put("O1", OTHER_TOWN)
    central.put("S1", VILLAGE, status="涉密不予公开")
    hall = make_hall(central.node())

    first = run_sync(hall)
    assert set(held(hall)) == {"C1", "T1", "V1"}
    assert first.upserted == 3 and first.deleted == 0
    with central.database.session() as session:
        central_time = session.scalar(select(Item.changed_at).where(Item.code == "T1"))
    assert held(hall)["T1"].changed_at == central_time
    assert state(hall).items_held == 3 and state(hall).last_success_at is not None

    central.put("T1", TOWN, content="新的办理流程。")
    central.put("N1", VILLAGE)
    central.remove("V1")
    central.put("C1", COUNTY, status="涉密不予公开")
    second = run_sync(hall)
    items = held(hall)
    assert set(items) == {"T1", "N1"}
    assert items["T1"].content == "新的办理流程。"
    assert (second.upserted, second.deleted) == (2, 2)
    client = hall.test_client()
    assert client.get("/items/C1").status_code == 404
    assert client.get("/items/T1").status_code == 200

    # Nothing new: one small answer stores its ETag, later polls are 304s changing nothing.
    assert not run_sync(hall).not_modified
    third = run_sync(hall)
    assert third.not_modified and third.pages == 0
    with hall.extensions["kiosk_db"].session() as session:
        rounds = [(entry.action, entry.after) for entry in session.scalars(select(AuditEntry))]
    # One audit entry per round that changed the catalog, with its counts, none per item.
    snapshot = first.snapshot_cursor
    assert rounds == [
        ("sync.apply", {"pages": 1, "upserted": 3, "deleted": 0, "snapshot": snapshot}),
        ("sync.apply", {"pages": 1, "upserted": 2, "deleted": 2, "snapshot": None}),
    ]


def test_an_item_moving_out_of_the_halls_region_is_removed(central, make_hall):
    central.put("M1", TOWN)
    central.put("M2", TOWN)
    hall = make_hall(central.node())
    run_sync(hall)
    central.put("M1", OTHER_TOWN)
    central.put("M2", COUNTY)
    run_sync(hall)
    assert set(held(hall)) == {"M2"}
    assert held(hall)["M2"].region == COUNTY


def test_the_hall_keeps_serving_while_the_centre_is_down(central, make_hall, caplog):
    central.put("T1")
    hall = make_hall(central.node())
    run_sync(hall)
    hall.config["KIOSK_CENTRAL_URL"] = dead_url()
    with (
        caplog.at_level(logging.ERROR, "kiosk.sync"),
        pytest.raises(SyncError, match="连不上县中心"),
    ):
        run_sync(hall)
    assert "sync failed" in caplog.text
    status = state(hall)
    assert "连不上县中心" in status.last_error and status.last_error_at is not None
    assert hall.test_client().get("/items/T1").status_code == 200
    hall.config["KIOSK_CENTRAL_URL"] = central.url
    central.put("T2")
    run_sync(hall)
    assert set(held(hall)) == {"T1", "T2"}


class Garbage:
    """A fake centre answering the change feed with whatever the test sets."""

    def __init__(self) -> None:
        self.body = b""
        self.length: int | None = None

    def __call__(self, environ, start_response):
        length = self.length if self.length is not None else len(self.body)
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(length))]
        )
        return [self.body]


def feed_page(since: int, changes: list[dict], **fields) -> bytes:
    page = {
        "format": 1,
        "since": since,
        "cursor": since + 10,
        "latest": since + 10,
        "more": False,
        "count": len(changes),
        "changes": changes,
        **fields,
    }
    return json.dumps(page, ensure_ascii=False).encode()


def test_a_garbage_answer_is_rejected_whole_and_logged(central, make_hall, caplog):
    central.put("T1")
    hall = make_hall(central.node())
    run_sync(hall)
    cursor = state(hall).cursor
    good = (
        central.app.test_client()
        .get(
            "/api/v1/changes",
            headers={"Authorization": f"Bearer {hall.config['KIOSK_NODE_TOKEN']}"},
        )
        .get_json()["changes"][0]
    )
    new_item = {
        **good,
        "seq": cursor + 1,
        "code": "X1",
        "item": {**good["item"], "code": "X1", "name": "不应出现"},
    }
    secret = {
        **good,
        "seq": cursor + 2,
        "code": "X2",
        "item": {**good["item"], "code": "X2", "status": "涉密不予公开"},
    }
    valid = feed_page(cursor, [new_item])
    cases = {
        "not JSON": (b"<html>502 Bad Gateway</html>", None),
        "JSON nested too deep": (b"[" * 100_000 + b"]" * 100_000, None),
        "a lone surrogate": (valid.replace("不应出现".encode(), b"\\ud800"), None),
        "truncated JSON": (valid[: len(valid) // 2], None),
        "cut off in transit": (valid[:40], len(valid)),
        "a non-public item": (feed_page(cursor, [new_item, secret]), None),
        "a wrong count": (feed_page(cursor, [new_item], count=2), None),
        "going backwards": (feed_page(cursor, [], cursor=cursor - 1, latest=cursor - 1), None),
        "another cursor's answer": (feed_page(cursor + 1, []), None),
        "an emergency without a title": (
            feed_page(
                cursor,
                [new_item],
                emergencies=[{"id": "9", "title": "", "body": "", "expires_at": None}],
            ),
            None,
        ),
        "an emergency with a naive expiry": (
            feed_page(
                cursor,
                [new_item],
                emergencies=[
                    {"id": "9", "title": "预警", "body": "", "expires_at": "2030-01-01T00:00"}
                ],
            ),
            None,
        ),
    }
    named = {  # what the status then tells the hall's staff
        "not JSON": "不是可用的 JSON 数据",
        "JSON nested too deep": "JSON 嵌套太深",
        "truncated JSON": "不是可用的 JSON 数据",
        "another cursor's answer": "它答的是游标",
        "a lone surrogate": "单独的代理码位",
        "cut off in transit": "回答中途断开",
        "a non-public item": "changes[1].item.status（公开状态）为“涉密不予公开”",
        "a wrong count": "count 说有 2 条变更，实有 1 条",
        "going backwards": "拒绝回退",
        "an emergency without a title": "emergencies[0].title（标题）为空",
        "an emergency with a naive expiry": "不是带时区的时间",
    }
    garbage = Garbage()
    with serve_in_thread(garbage) as url:
        hall.config["KIOSK_CENTRAL_URL"] = url
        for name, (body, length) in cases.items():
            garbage.body, garbage.length = body, length
            caplog.clear()
            with caplog.at_level(logging.ERROR, "kiosk.sync"), pytest.raises(SyncError):
                run_sync(hall)
            assert "sync failed" in caplog.text, name
            assert set(held(hall)) == {"T1"}, name
            assert state(hall).cursor == cursor, name
            assert named.get(name, "不合格") in state(hall).last_error, name
        garbage.body, garbage.length = valid, None
        run_sync(hall)  # the same page, sound, is taken
    assert set(held(hall)) == {"T1", "X1"}


def test_a_revoked_token_gets_401_and_the_hall_keeps_its_copy(central, make_hall):
    central.put("T1")
    hall = make_hall(central.node("hall-1"))
    run_sync(hall)
    with central.database.session() as session:
        revoke_node(session, "hall-1", actor="test")
    central.put("T2")
    with pytest.raises(SyncError, match="401"):
        run_sync(hall)
    assert set(held(hall)) == {"T1"}
    assert "吊销" in state(hall).last_error


def test_a_cursor_older_than_the_tombstones_resyncs_in_full(central, make_hall):
    for code in ("A", "B", "C"):
        central.put(code)
    hall = make_hall(central.node())
    run_sync(hall)
    central.remove("A")
    central.put("D")
    with central.database.session() as session:
        session.execute(update(CatalogTombstone).values(at=utcnow() - timedelta(days=999)))
        purge_tombstones(session, keep_days=400)
    run_sync(hall)
    assert set(held(hall)) == {"B", "C", "D"}
    assert not state(hall).resyncing


def test_one_sync_at_a_time(central, make_hall):
    hall = make_hall(central.node())
    with sync_lock(hall.instance_path), pytest.raises(SyncBusy):
        run_sync(hall)
    run_sync(hall)


def test_the_background_job_is_registered_with_the_configured_interval(central, make_hall):
    central.put("T1")
    hall = make_hall(central.node(), KIOSK_SYNC_INTERVAL=42)
    job = hall.extensions["kiosk_jobs"].jobs["catalog-sync"]
    assert job.interval == 42
    hall.extensions["kiosk_jobs"].run_once("catalog-sync")
    assert set(held(hall)) == {"T1"}


def test_the_sync_job_keeps_going_after_any_failure(central, make_hall, monkeypatch, caplog):
    from kiosk.sync.hall import rounds

    central.put("T1")
    hall = make_hall(central.node(), KIOSK_SYNC_INTERVAL=0.05)
    calls, synced, real = [], threading.Event(), rounds.run_sync

    def flaky(app):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk I/O error")  # not a SyncError: unexpected
        app.config["KIOSK_CENTRAL_URL"] = dead_url() if len(calls) == 2 else central.url
        result = real(app)
        synced.set()
        return result

    monkeypatch.setattr(rounds, "run_sync", flaky)
    jobs = hall.extensions["kiosk_jobs"]
    with caplog.at_level(logging.INFO, "kiosk"):
        jobs.start([rounds.JOB])
        try:
            assert synced.wait(30)
        finally:
            jobs.stop()
    # A fourth round may start between the third's success and the stop: rounds go on.
    assert set(held(hall)) == {"T1"} and len(calls) >= 3
    failed = [r for r in caplog.records if r.name == "kiosk.jobs" and "failed" in r.message]
    assert [r.message.split(":")[0] for r in failed] == [
        "job catalog-sync failed (1 in a row)",
        "job catalog-sync failed (2 in a row)",
    ]
    # The unexpected failure with its traceback; the foreseen sync error in one line.
    assert [r.exc_info is not None for r in failed] == [True, False]
    assert "连不上县中心" in caplog.text and "sync done" in caplog.text


class LostAcknowledgements:
    """In front of the centre: outbox batches reach it, but its answers are lost."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"] != "/api/v1/outbox":
            return self.app(environ, start_response)
        answer = self.app(environ, lambda *args, **kwargs: None)
        b"".join(answer)
        start_response("502 Bad Gateway", [("Content-Type", "text/plain")])
        return [b"upstream timed out"]


def test_the_outbox_is_delivered_exactly_once_across_an_outage(central, make_hall):
    hall = make_hall(central.node())
    database = hall.extensions["kiosk_db"]
    with database.session() as session:
        keys = [
            enqueue(session, "rating", {"item": "T1", "stars": stars}).key for stars in (3, 4, 5)
        ]

    hall.config["KIOSK_CENTRAL_URL"] = dead_url()
    with pytest.raises(SyncError):
        run_sync(hall)
    with serve_in_thread(LostAcknowledgements(central.app)) as url:
        hall.config["KIOSK_CENTRAL_URL"] = url
        with pytest.raises(SyncError, match="502"):
            run_sync(hall)
    with database.session() as session:
        entries = list(session.scalars(select(OutboxEntry)))
        assert all(entry.sent_at is None and entry.attempts == 2 for entry in entries)

    hall.config["KIOSK_CENTRAL_URL"] = central.url
    assert run_sync(hall).outbox_sent == 3
    with database.session() as session:
        enqueue(session, "question", {"text": "低保怎么申请？"})
    assert run_sync(hall).outbox_sent == 1
    assert run_sync(hall).outbox_sent == 0
    with central.database.session() as session:
        received = list(session.scalars(select(ReceivedRecord)))
    assert len(received) == 4
    assert set(keys) < {record.key for record in received}
    assert state(hall).outbox_sent == 4


def test_a_centre_older_than_the_hall_is_refused(central, make_hall):
    central.put("T1")
    hall = make_hall(central.node())
    run_sync(hall)
    # As if the centre had been restored from an old backup: the hall is ahead of it.
    with hall.extensions["kiosk_db"].session() as session:
        get_state(session).cursor += 100
    with pytest.raises(SyncError, match="拒绝回退"):
        run_sync(hall)
    assert set(held(hall)) == {"T1"}


def test_the_hall_applies_pages_in_batches_and_numbers_no_changes_of_its_own(central, make_hall):
    for number in range(5):
        central.put(f"B{number}", TOWN)
    hall = make_hall(central.node(), KIOSK_SYNC_PAGE_SIZE=2)
    assert run_sync(hall).upserted == 5
    central.put("B1", TOWN, content="改过。")
    central.put("B2", COUNTY)  # a move within the hall's scope: tombstone, then the item
    central.remove("B3")
    second = run_sync(hall)
    assert (second.upserted, second.deleted) == (2, 2)
    assert set(held(hall)) == {"B0", "B1", "B2", "B4"}
    assert held(hall)["B2"].region == COUNTY and held(hall)["B1"].content == "改过。"
    with hall.extensions["kiosk_db"].session() as session:
        assert session.scalar(select(func.count(CatalogChange.code))) == 0
        assert session.scalar(select(func.count(CatalogTombstone.id))) == 0


def test_a_county_emergency_reaches_the_halls_screens_and_leaves_with_it(central, make_hall):
    from kiosk.signage.emergency import (
        active_emergencies,
        clear_emergency,
        emergency_for,
        post_emergency,
    )

    central.put("T1", TOWN)
    hall = make_hall(central.node())
    run_sync(hall)  # snapshot, then the feed from its version: up to date already
    assert run_sync(hall).not_modified
    with central.database.session() as session:
        post_emergency(session, "暴雨红色预警", "请立即转移到安全地带。", actor="county-admin")
    first = run_sync(hall)
    assert not first.not_modified, "a new emergency changes the answer"
    with hall.extensions["kiosk_db"].session() as session:
        shown = [(n.title, n.source) for n in active_emergencies(session)]
    assert shown == [("暴雨红色预警", "county")]
    run_sync(hall)  # again: nothing doubles
    with hall.extensions["kiosk_db"].session() as session:
        assert len(active_emergencies(session)) == 1
    with hall.extensions["kiosk_db"].session() as session:
        assert emergency_for(session, None)["title"] == "暴雨红色预警"  # every screen shows it
    with central.database.session() as session:
        clear_emergency(session, active_emergencies(session)[0], "county-admin")
    run_sync(hall)
    with hall.extensions["kiosk_db"].session() as session:
        assert active_emergencies(session) == []


def test_a_catalog_imported_at_the_centre_reaches_the_hall(central, make_hall, tmp_path):
    from kiosk.catalog.importing.importer import import_catalog
    from tests.catalog.files import write_list_csv

    with central.database.session() as session:
        report = import_catalog(session, write_list_csv(tmp_path / "目录.csv", "utf-8"))
    hall = make_hall(central.node())
    run_sync(hall)
    with central.database.session() as session:
        public = set(
            session.scalars(
                select(Item.code).where(
                    Item.status.in_(("已公开", "部分公开")),
                    Item.region.in_((COUNTY, TOWN, VILLAGE)),
                )
            )
        )
    assert report.counts["added"] >= 2 and public
    assert set(held(hall)) == public


def test_a_county_emergency_for_one_township_reaches_only_its_halls(central, make_hall):
    from kiosk.signage.emergency import active_emergencies, post_emergency

    central.put("C1", COUNTY)
    village = make_hall(central.node("village-hall"), name="village")
    other = make_hall(
        central.node("other-hall", region=OTHER_TOWN), name="other", KIOSK_REGION=OTHER_TOWN
    )
    with central.database.session() as session:
        post_emergency(session, "城关镇停水通知", "", actor="county-admin", region=TOWN)
    for hall in (village, other):
        run_sync(hall)
    with village.extensions["kiosk_db"].session() as session:
        assert [n.title for n in active_emergencies(session)] == ["城关镇停水通知"]
    with other.extensions["kiosk_db"].session() as session:
        assert active_emergencies(session) == []
