"""`kiosk nodes add/revoke` and `kiosk sync --once` as an operator runs them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kiosk.db import Database
from kiosk.sync.models import SyncNode
from kiosk.sync.nodes import token_hash
from tests.commands import kiosk


def test_nodes_add_prints_a_token_of_which_only_the_hash_is_kept(tmp_path: Path):
    added = kiosk(
        tmp_path, "nodes", "add", "东村", "--region", "示范县/城关镇/东村", KIOSK_ROLE="central"
    )
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert len(token) >= 40 and "东村" in added.stderr
    database = Database(f"sqlite:///{tmp_path / 'kiosk.db'}")
    with database.session() as session:
        node = session.scalar(select(SyncNode))
        assert node.token_hash == token_hash(token)
    again = kiosk(tmp_path, "nodes", "add", "东村", "--region", "示范县", KIOSK_ROLE="central")
    assert again.returncode == 1 and "已经有名为" in again.stderr
    revoked = kiosk(tmp_path, "nodes", "revoke", "东村", KIOSK_ROLE="central")
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    with database.session() as session:
        assert session.scalar(select(SyncNode)).revoked_at is not None
    database.dispose()
    unknown = kiosk(tmp_path, "nodes", "revoke", "西村", KIOSK_ROLE="central")
    assert unknown.returncode == 1 and "没有名为" in unknown.stderr


def test_sync_once_reports_a_failure_with_the_status(tmp_path: Path):
    failed = kiosk(
        tmp_path, "sync", "--once", KIOSK_CENTRAL_URL="http://127.0.0.1:9", KIOSK_NODE_TOKEN="x"
    )
    assert failed.returncode == 1
    assert "连不上县中心" in failed.stderr
    assert "目录版本 0" in failed.stdout and "上次错误" in failed.stdout
    unset = kiosk(tmp_path, "sync", "--once")
    assert unset.returncode == 1 and "未设置 KIOSK_CENTRAL_URL" in unset.stderr


def test_a_snapshot_exported_at_the_centre_is_loaded_at_a_hall_without_network(tmp_path: Path):
    centre, hall, stick = tmp_path / "centre", tmp_path / "hall", tmp_path / "usb.json.gz"
    added = kiosk(
        centre, "nodes", "add", "东村", "--region", "示范县/城关镇/东村", KIOSK_ROLE="central"
    )
    assert added.returncode == 0, added.stderr
    exported = kiosk(centre, "nodes", "snapshot", "东村", "-o", str(stick), KIOSK_ROLE="central")
    assert exported.returncode == 0, exported.stderr
    assert "catalog version 0, 0 items" in exported.stdout and stick.is_file()
    unknown = kiosk(centre, "nodes", "snapshot", "西村", "-o", str(stick), KIOSK_ROLE="central")
    assert unknown.returncode == 1 and "没有名为" in unknown.stderr

    loaded = kiosk(hall, "sync", "--snapshot", str(stick), KIOSK_REGION="示范县/城关镇/东村")
    assert loaded.returncode == 0, loaded.stderr
    assert "已采用版本 0 的目录快照" in loaded.stdout and "已有事项：0 项" in loaded.stdout
    elsewhere = kiosk(hall, "sync", "--snapshot", str(stick), KIOSK_REGION="示范县/河西镇")
    assert elsewhere.returncode == 1 and "本站是 示范县/河西镇" in elsewhere.stderr
