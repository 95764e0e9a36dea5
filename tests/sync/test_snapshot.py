"""Whole-catalog snapshots: first install over HTTP (resumed with Range), a 410's resync,
a damaged file refused whole, a file carried on a USB stick, never going backwards."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, update

from kiosk.catalog.models import Item
from kiosk.catalog.search import search
from kiosk.db import utcnow
from kiosk.serve import serve_in_thread
from kiosk.sync.changes import current_version, purge_tombstones
from kiosk.sync.hall.errors import SyncError
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.hall.snapshot_fetch import load_snapshot
from kiosk.sync.hall.state import get_state
from kiosk.sync.models import CatalogTombstone
from kiosk.sync.snapshot import (
    KEEP_PER_REGION,
    KIND,
    SNAPSHOT_FORMAT,
    decode_snapshot,
    export_snapshot,
    region_dir,
    snapshot_root,
)
from tests.sync.conftest import COUNTY, OTHER_TOWN, TOWN, VILLAGE


class Relay:
    """In front of the centre: notes every request; can cut or spoil one snapshot file."""

    def __init__(self, app) -> None:
        self.app = app
        self.seen: list[tuple[str, str, str | None]] = []
        self.cut_once = False
        self.corrupt = False

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        self.seen.append((path, environ.get("QUERY_STRING", ""), environ.get("HTTP_RANGE")))
        answer = self.app(environ, start_response)
        try:
            body = b"".join(answer)
        finally:
            answer.close()
        if path.startswith("/api/v1/snapshots/"):
            if self.cut_once:
                # Fewer bytes than Content-Length: the server drops the connection.
                self.cut_once = False
                return [body[: len(body) // 2]]
            if self.corrupt:
                middle = len(body) // 2
                return [body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]]
        return [body]

    def asked(self, prefix: str) -> list[tuple[str, str | None]]:
        return [(query, ranged) for path, query, ranged in self.seen if path.startswith(prefix)]


def held(hall) -> set[str]:
    with hall.extensions["kiosk_db"].session() as session:
        return set(session.scalars(select(Item.code)))


def cursor_of(hall) -> int:
    with hall.extensions["kiosk_db"].session() as session:
        return get_state(session).cursor


def version(central) -> int:
    with central.database.session() as session:
        return current_version(session)[0]


def usb_file(central, tmp_path: Path, name: str = "hall") -> Path:
    output = tmp_path / f"{name}-{version(central)}.json.gz"
    with central.database.session() as session:
        export_snapshot(session, snapshot_root(central.app.config), name, output)
    return output


def test_a_first_install_downloads_the_snapshot_resuming_a_cut_off_download(central, make_hall):
    for code in ("C1", "T1", "V1"):
        central.put(code, {"C": COUNTY, "T": TOWN, "V": VILLAGE}[code[0]])
    central.put("O1", OTHER_TOWN)
    hall = make_hall(central.node())
    relay = Relay(central.app)
    relay.cut_once = True
    with serve_in_thread(relay) as url:
        hall.config["KIOSK_CENTRAL_URL"] = url
        with pytest.raises(SyncError, match="下载中断"):
            run_sync(hall)
        assert held(hall) == set() and cursor_of(hall) == 0
        result = run_sync(hall)
    assert held(hall) == {"C1", "T1", "V1"}
    assert result.snapshot_cursor == version(central) == cursor_of(hall)
    assert result.upserted == 3
    downloads = relay.asked("/api/v1/snapshots/")
    assert downloads[0][1] is None and downloads[1][1].startswith("bytes=")
    assert int(downloads[1][1].removeprefix("bytes=").rstrip("-")) > 0
    # The feed was never paged from 0: it went on from the snapshot's version.
    feed = relay.asked("/api/v1/changes")
    assert len(feed) == 1 and feed[0][0].startswith(f"cursor={version(central)}&")
    assert not list(Path(hall.instance_path, "sync-download").iterdir())


def test_a_damaged_download_is_refused_whole_and_a_410_resync_then_succeeds(central, make_hall):
    for code in ("A", "B", "C"):
        central.put(code)
    hall = make_hall(central.node())
    run_sync(hall)
    before = cursor_of(hall)
    central.remove("A")
    central.put("D")
    with central.database.session() as session:
        session.execute(update(CatalogTombstone).values(at=utcnow() - timedelta(days=999)))
        purge_tombstones(session, keep_days=400)
    relay = Relay(central.app)
    relay.corrupt = True
    with serve_in_thread(relay) as url:
        hall.config["KIOSK_CENTRAL_URL"] = url
        with pytest.raises(SyncError, match="SHA-256"):
            run_sync(hall)
        assert held(hall) == {"A", "B", "C"} and cursor_of(hall) == before
        assert not list(Path(hall.instance_path, "sync-download").iterdir())
        relay.corrupt = False
        assert run_sync(hall).snapshot_cursor == version(central)
    assert held(hall) == {"B", "C", "D"}
    with hall.extensions["kiosk_db"].session() as session:
        assert not get_state(session).resyncing


def test_a_usb_snapshot_is_applied_and_the_feed_goes_on_from_it(central, make_hall, tmp_path):
    central.put("T1")
    central.put("T2")
    hall = make_hall(central.node())
    stick = usb_file(central, tmp_path)
    result = load_snapshot(hall, stick)
    assert held(hall) == {"T1", "T2"} and result.snapshot_cursor == cursor_of(hall)
    assert "目录快照" in result.summary()
    central.put("T3")
    central.remove("T1")
    relay = Relay(central.app)
    with serve_in_thread(relay) as url:
        hall.config["KIOSK_CENTRAL_URL"] = url
        run_sync(hall)
    assert held(hall) == {"T2", "T3"}
    assert not relay.asked("/api/v1/snapshot")
    assert relay.asked("/api/v1/changes")[0][0].startswith(f"cursor={result.snapshot_cursor}&")


def test_an_older_or_damaged_usb_snapshot_is_refused(central, make_hall, tmp_path):
    central.put("T1")
    hall = make_hall(central.node())
    old = usb_file(central, tmp_path)
    central.put("T2")
    run_sync(hall)
    with pytest.raises(SyncError, match="拒绝回退"):
        load_snapshot(hall, old)
    assert held(hall) == {"T1", "T2"}

    central.put("T3")
    damaged = usb_file(central, tmp_path)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(SyncError, match="没有采用"):
        load_snapshot(hall, damaged)
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(damaged.read_bytes()[:-10])  # copied off the stick unfinished
    with pytest.raises(SyncError, match="没有采用"):
        load_snapshot(hall, cut)
    assert held(hall) == {"T1", "T2"}


def test_a_nodes_snapshot_holds_only_its_public_scope(central):
    central.put("C1", COUNTY)
    central.put("V1", VILLAGE)
    central.put("O1", OTHER_TOWN)
    central.put("S1", VILLAGE, status="涉密不予公开")
    token = central.node("hall")
    other = central.node("other", OTHER_TOWN)

    def get(path: str, token: str) -> requests.Response:
        return requests.get(
            f"{central.url}/api/v1/{path}", timeout=10, headers={"Authorization": f"Bearer {token}"}
        )

    manifest = get("snapshot", token).json()
    assert get("snapshot", token).json() == manifest  # built once, then reused
    data = get(manifest["url"], token).content
    assert len(data) == manifest["size"]
    assert hashlib.sha256(data).hexdigest() == manifest["sha256"]
    snapshot = decode_snapshot(data)
    assert [item["code"] for item in snapshot.items] == ["C1", "V1"]
    assert snapshot.cursor == manifest["cursor"] == version(central)
    assert snapshot.region == VILLAGE and manifest["items"] == 2
    assert get(manifest["url"], other).status_code == 404
    assert get(manifest["url"], "wrong").status_code == 401
    assert get("snapshots/..%2Fkiosk.db", token).status_code == 404


def test_the_centre_keeps_only_the_newest_few_snapshots(central):
    token = central.node()
    names = []
    for number in range(KEEP_PER_REGION + 2):
        central.put(f"K{number}")
        names.append(
            requests.get(
                f"{central.url}/api/v1/snapshot",
                timeout=10,
                headers={"Authorization": f"Bearer {token}"},
            )
            .json()["url"]
            .removeprefix("snapshots/")
        )
    folder = region_dir(snapshot_root(central.app.config), VILLAGE)
    assert sorted(path.name for path in folder.glob("*.json.gz")) == sorted(
        names[-KEEP_PER_REGION:]
    )
    assert len(list(folder.glob("*.manifest.json"))) == KEEP_PER_REGION
    assert not list(folder.glob(".tmp-*"))


def test_a_snapshot_with_text_no_database_stores_is_refused_whole(central, make_hall, tmp_path):
    central.put("T1")
    central.put("T2")
    hall = make_hall(central.node())
    good = decode_snapshot(usb_file(central, tmp_path).read_bytes())
    # A lone surrogate can only come as an escape: the file is well-formed JSON otherwise.
    items = [{**item, "name": "NAME"} if item["code"] == "T2" else item for item in good.items]
    body = (
        "".join(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in items)
        .replace("NAME", "\\ud800")
        .encode()
    )
    header = {
        "format": SNAPSHOT_FORMAT,
        "kind": KIND,
        "region": good.region,
        "cursor": good.cursor,
        "items": len(items),
        "items_sha256": hashlib.sha256(body).hexdigest(),
        "items_size": len(body),
    }
    stick = tmp_path / "bad.json.gz"
    stick.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body))
    with pytest.raises(SyncError, match="无法保存的字符 '\\\\ud800'"):
        load_snapshot(hall, stick)
    assert held(hall) == set() and cursor_of(hall) == 0


def test_items_a_snapshot_brings_are_found_by_resident_search(central, make_hall, tmp_path):
    # A snapshot's new items go in in bulk, past the ORM: the search index must hold them.
    central.put("T1", name="最低生活保障申请")
    central.put("T2", name="残疾人证办理")
    hall = make_hall(central.node())
    load_snapshot(hall, usb_file(central, tmp_path))
    with hall.extensions["kiosk_db"].session() as session:
        for query, code in (("残疾人证", "T2"), ("zdshbz", "T1"), ("canjiren", "T2")):
            assert [hit.item.code for hit in search(session, VILLAGE, query).hits] == [code]
