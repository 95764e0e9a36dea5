"""Whole-catalog snapshots at the hall: downloaded from the centre (resumable, checked by
size and SHA-256) or carried on a USB stick, validated whole, then applied."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from flask import Flask

from kiosk.db import Database
from kiosk.regions.services import normalise_path
from kiosk.sync.hall.apply import apply_snapshot, record_round
from kiosk.sync.hall.checks import check_manifest, check_snapshot_items, rejected, storable
from kiosk.sync.hall.errors import SyncError, unexpected
from kiosk.sync.hall.http import Central
from kiosk.sync.hall.result import SyncResult
from kiosk.sync.hall.state import get_state, succeeded, sync_lock
from kiosk.sync.snapshot import Snapshot, SnapshotError, decode_snapshot

log = logging.getLogger("kiosk.sync")


def read_snapshot(data: bytes, what: str) -> Snapshot:
    """The snapshot file's `data` if it is whole and every item in it sound."""
    try:
        snapshot = decode_snapshot(data)
    except SnapshotError as failure:
        raise rejected(what, f"文件已损坏或不完整：{failure}") from None
    check_snapshot_items(what, snapshot.items)
    return snapshot


def fetch_snapshot(
    database: Database, central: Central, instance_path: str, result: SyncResult
) -> bool:
    """Download the centre's snapshot (resuming a cut-off download), verify and apply it.
    False when the centre serves no snapshots (404): the caller pages the feed instead."""
    response = central.request("GET", "/snapshot")
    if response.status_code == 404:
        return False
    if response.status_code != 200:
        raise SyncError(f"县中心在给出目录快照清单时回答 HTTP {response.status_code}")
    manifest = check_manifest(Central.json_of(response))
    staging = Path(instance_path) / "sync-download"
    staging.mkdir(exist_ok=True)
    part = staging / f"{manifest['sha256']}.part"
    for stale in staging.iterdir():  # downloads of older snapshots are of no more use
        if stale != part:
            stale.unlink()
    central.download(manifest["url"], part, manifest["size"])
    data = part.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != manifest["sha256"]:
        part.unlink()
        raise SyncError(
            f"下载的目录快照已损坏：其 SHA-256 为 {digest}，清单上是 {manifest['sha256']}；"
            "本站目录没有改动，下一轮重新下载"
        )
    what = "县中心发来的目录快照"
    snapshot = read_snapshot(data, what)
    if (snapshot.cursor, len(snapshot.items)) != (manifest["cursor"], manifest["items"]):
        part.unlink()
        raise rejected(
            what,
            f"它是版本 {snapshot.cursor}、{len(snapshot.items)} 项，清单上是版本 "
            f"{manifest['cursor']}、{manifest['items']} 项",
        )
    with storable(what):
        upserted, deleted = apply_snapshot(database, snapshot, manifest["sha256"])
    part.unlink()
    log.info("snapshot of version %d applied: %d item(s)", snapshot.cursor, len(snapshot.items))
    result.snapshot_cursor = snapshot.cursor
    result.upserted += upserted
    result.deleted += deleted
    return True


def load_snapshot(app: Flask, path: Path) -> SyncResult:
    """Apply a snapshot file carried to the hall (e.g. on a USB stick); a failure other
    than the file's (a full disk) is logged with its traceback and named."""
    with sync_lock(app.instance_path):
        try:
            return _load_snapshot(app, path)
        except SyncError:
            raise
        except Exception as failure:
            log.exception("loading snapshot %s failed unexpectedly", path)
            raise SyncError(unexpected(failure, app.instance_path)) from failure


def _load_snapshot(app: Flask, path: Path) -> SyncResult:
    database: Database = app.extensions["kiosk_db"]
    what = f"目录快照文件 {path.name}"
    data = path.read_bytes()
    snapshot = read_snapshot(data, what)
    region = app.config["KIOSK_REGION"]
    if region and normalise_path(region) != snapshot.region:
        raise SyncError(
            f"目录快照文件 {path.name} 属于区域 {snapshot.region}，本站是 {region}："
            "请换用本站区域的快照"
        )
    with storable(what):
        upserted, deleted = apply_snapshot(database, snapshot, hashlib.sha256(data).hexdigest())
    with database.session() as session:
        succeeded(get_state(session))
    result = SyncResult(upserted=upserted, deleted=deleted, snapshot_cursor=snapshot.cursor)
    record_round(database, result)
    return result
