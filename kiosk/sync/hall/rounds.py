"""One sync round (pull the catalog, then deliver the outbox), and the "catalog-sync" job
that `kiosk serve` and `kiosk sync` run it as."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask
from sqlalchemy import delete, func, select

from kiosk.blobs.services import store_of
from kiosk.catalog.models import Item
from kiosk.db import Database, utcnow
from kiosk.sync.changes import MAX_PAGE
from kiosk.sync.hall.apply import apply_page, record_round, start_over
from kiosk.sync.hall.checks import check_page
from kiosk.sync.hall.errors import SyncBusy, SyncError, unexpected
from kiosk.sync.hall.http import Central
from kiosk.sync.hall.outbox_push import deliver_outbox
from kiosk.sync.hall.result import SyncResult
from kiosk.sync.hall.signage_files import fetch_county_files
from kiosk.sync.hall.snapshot_fetch import fetch_snapshot
from kiosk.sync.hall.state import get_state, succeeded, sync_lock
from kiosk.sync.models import ResyncSeen

log = logging.getLogger("kiosk.sync")

JOB = "catalog-sync"
MAX_PAGES_PER_RUN = 10_000


def pull_catalog(
    database: Database, central: Central, result: SyncResult, page_size: int, instance_path: str
) -> None:
    # A whole catalog comes as one snapshot file, unless the centre has none (older centre).
    snapshots = True
    for _ in range(MAX_PAGES_PER_RUN):
        with database.session() as session:
            cursor = get_state(session).cursor
        if cursor == 0 and snapshots:
            snapshots = False  # once a round: an empty centre's snapshot leaves cursor 0
            if fetch_snapshot(database, central, instance_path, result):
                continue
        with database.session() as session:
            state = get_state(session)
            cursor, etag = state.cursor, state.etag
            after = {"answers": state.answers_cursor, "applications": state.applications_cursor}
            if cursor == 0 and not state.resyncing:
                # Starting from nothing is a full copy: what the centre does not send goes.
                state.resyncing, state.staged_snapshot = True, ""
                session.execute(delete(ResyncSeen))
        headers = {"If-None-Match": etag} if etag else {}
        response = central.request(
            "GET",
            "/changes",
            params={"cursor": cursor, "limit": page_size, **after},
            headers=headers,
        )
        if response.status_code == 304:
            result.not_modified = result.pages == 0
            return
        if response.status_code == 410 and cursor > 0:
            log.warning("cursor %d is older than the centre's deletions: full resync", cursor)
            if snapshots:
                snapshots = False
                if fetch_snapshot(database, central, instance_path, result):
                    continue
            start_over(database)
            continue
        if response.status_code == 409:
            raise SyncError(
                f"县中心的目录比本站的目录版本 {cursor} 还旧（中心可能从旧备份恢复过），"
                "拒绝回退；本站目录照常使用，请联系县中心"
            )
        if response.status_code != 200:
            raise SyncError(f"县中心在给出目录变更时回答 HTTP {response.status_code}")
        page = check_page(Central.json_of(response), cursor, after)
        with database.session() as session:
            upserted, deleted = apply_page(session, page, response.headers.get("ETag", ""))
        result.pages += 1
        result.upserted += upserted
        result.deleted += deleted
        if not page["more"]:
            return
    raise SyncError(f"这一轮已取 {MAX_PAGES_PER_RUN} 页变更，暂停；下一轮接着取")


def _failed(database: Database, message: str) -> SyncError:
    """Note the failure as the node's last error (shown on the admin sync page). When even
    that cannot be written (a full disk), the log and the caller still have it."""
    log.error("sync failed: %s", message)
    try:
        with database.session() as session:
            state = get_state(session)
            state.last_error, state.last_error_at = message[:2000], utcnow()
    except Exception:
        log.exception("could not record the sync failure in the database")
    return SyncError(message)


def run_sync(app: Flask) -> SyncResult:
    """One round: pull catalog changes, then deliver the outbox. Raises SyncError/SyncBusy;
    any other failure inside the round is logged with its traceback and becomes a SyncError
    naming it, recorded as the last error."""
    url, token = app.config["KIOSK_CENTRAL_URL"], app.config["KIOSK_NODE_TOKEN"]
    database: Database = app.extensions["kiosk_db"]
    if not url:
        raise _failed(database, "未设置 KIOSK_CENTRAL_URL：本站不知道县中心的地址")
    if not token:
        raise _failed(database, "未设置 KIOSK_NODE_TOKEN：请向县中心索取本站的令牌")
    with sync_lock(app.instance_path):
        try:
            central = Central(url, token, app.config["KIOSK_SYNC_PAGE_TIMEOUT"])
            return _round(app, database, central)
        except SyncError as failure:
            raise _failed(database, str(failure)) from None
        except Exception as failure:
            log.exception("sync round failed unexpectedly")
            raise _failed(database, unexpected(failure, app.instance_path)) from failure


def _round(app: Flask, database: Database, central: Central) -> SyncResult:
    result = SyncResult()
    failures: list[str] = []
    try:
        with database.session() as session:
            get_state(session).last_attempt_at = utcnow()
        page_size = max(1, min(app.config["KIOSK_SYNC_PAGE_SIZE"], MAX_PAGE))
        # The two directions fail apart: a bad catalog page must not hold back the outbox.
        steps: tuple[Callable[[], None], ...] = (
            lambda: pull_catalog(database, central, result, page_size, app.instance_path),
            lambda: fetch_county_files(
                database, central, store_of(app), app.config["KIOSK_SIGNAGE_CACHE_MB"] << 20, result
            ),
            lambda: deliver_outbox(database, central, result),
        )
        for step in steps:
            try:
                step()
            except SyncError as failure:
                failures.append(str(failure))
            except Exception as failure:
                log.exception("sync step failed unexpectedly")
                failures.append(unexpected(failure, app.instance_path))
    finally:
        central.close()
        record_round(database, result)
    if failures:
        raise SyncError("；".join(dict.fromkeys(failures)))
    with database.session() as session:
        state = succeeded(get_state(session))
        state.items_held = session.scalar(select(func.count(Item.id))) or 0
    log.info("sync done: %s", result.summary())
    return result


def sync_job(app: Flask) -> None:
    """One round of the "catalog-sync" job; a failure propagates so the runner backs off."""
    try:
        run_sync(app)
    except SyncBusy:
        log.info("sync skipped: another sync of this node is running")
