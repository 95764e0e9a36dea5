"""Every failure of a sync round reaches the status: a full database, a full disk
(ENOSPC), missing permissions, anything unexpected; the next good round clears it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import requests
from sqlalchemy import event, text

from kiosk.sync.hall.errors import SyncError, unexpected
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.hall.status import sync_status
from tests.sync.test_kill import kiosk_sync

SQLITE = pytest.mark.parametrize("backend", ["sqlite"])
DISK_FULL = "本站磁盘已满，同步的内容无法保存"


def _last_error(hall) -> str:
    with hall.extensions["kiosk_db"].session() as session:
        return sync_status(session).last_error


def _fails(hall) -> str:
    with pytest.raises(SyncError) as failed:
        run_sync(hall)
    return str(failed.value)


@SQLITE
def test_a_full_database_is_named_logged_and_cleared_by_the_next_round(central, make_hall, caplog):
    for number in range(300):
        central.put(f"T{number}", content="办理流程。" * 40)
    hall = make_hall(central.node())
    engine = hall.extensions["kiosk_db"].engine
    with engine.connect() as connection:
        pages = connection.execute(text("PRAGMA page_count")).scalar_one()

    def small_disk(connection, _record) -> None:  # SQLite's own "database or disk is full"
        connection.execute(f"PRAGMA max_page_count = {pages + 4}")

    engine.dispose()
    event.listen(engine, "connect", small_disk)
    try:
        message = _fails(hall)
    finally:
        event.remove(engine, "connect", small_disk)
        engine.dispose()
    assert message.startswith(DISK_FULL)
    assert _last_error(hall) == message
    assert "database or disk is full" in caplog.text and "Traceback" in caplog.text
    assert run_sync(hall).snapshot_cursor
    assert _last_error(hall) == ""


@SQLITE
def test_enospc_writing_the_download_is_printed_by_sync_once_and_then_cleared(central, make_hall):
    central.put("T1")
    token = central.node()
    hall = make_hall(token)
    manifest = requests.get(
        f"{central.url}/api/v1/snapshot", headers={"Authorization": f"Bearer {token}"}, timeout=30
    ).json()
    staging = Path(hall.instance_path) / "sync-download"
    staging.mkdir()
    # Every write to /dev/full fails with ENOSPC, as on a full disk.
    (staging / f"{manifest['sha256']}.part").symlink_to("/dev/full")
    process = kiosk_sync(hall, central.url, "--once")
    output, errors = process.communicate(timeout=300)
    assert process.returncode == 1
    assert f"Error: {DISK_FULL}（OSError）" in errors
    assert "Traceback" in errors and "No space left on device" in errors
    assert any(line.startswith("上次错误：") and DISK_FULL in line for line in output.splitlines())
    assert _last_error(hall).startswith(DISK_FULL)
    os.unlink(staging / f"{manifest['sha256']}.part")
    run_sync(hall)
    assert _last_error(hall) == ""


@SQLITE
def test_any_unexpected_failure_is_caught_at_the_rounds_edge(central, make_hall, caplog):
    central.put("T1")
    hall = make_hall(central.node())
    (Path(hall.instance_path) / "sync-download").write_text("a file where a folder belongs")
    message = _fails(hall)
    assert message.startswith("同步时出现意外错误（FileExistsError：")
    assert _last_error(hall) == message
    assert "Traceback" in caplog.text


def test_what_staff_are_told():
    denied = PermissionError(errno.EACCES, "Permission denied", "/srv/kiosk/kiosk.db")
    assert unexpected(denied, "/srv/kiosk").startswith(
        "本站没有写入 /srv/kiosk/kiosk.db 的权限（PermissionError）：请检查实例目录的文件权限"
    )
    full = OSError(errno.ENOSPC, "No space left on device")
    assert unexpected(full, "/srv/kiosk").startswith(f"{DISK_FULL}（OSError）：请清理 /srv/kiosk")
