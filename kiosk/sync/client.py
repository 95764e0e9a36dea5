"""The hall's side: pull the centre's change feed into the local catalog, push the outbox.

Each page is validated whole, then applied together with the new cursor in one
transaction: a sync killed at any moment leaves the last good catalog and resumes at the
last cursor committed, with nothing applied twice or skipped.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3
from flask import Flask
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kiosk.catalog.elements import ITEM_FIELDS, LEVELS, PUBLIC_STATUSES
from kiosk.catalog.models import Item
from kiosk.catalog.services import remove_item, upsert_items
from kiosk.db import Database, utcnow
from kiosk.errors import InputError
from kiosk.jobs import Job
from kiosk.outbox.models import OutboxEntry
from kiosk.outbox.services import pending
from kiosk.regions.services import normalise_path
from kiosk.signage.emergency import reconcile_county_emergencies
from kiosk.sync.changes import FEED_FORMAT, MAX_PAGE
from kiosk.sync.models import ResyncSeen, SyncState
from kiosk.sync.snapshot import Snapshot, SnapshotError, decode_snapshot

log = logging.getLogger("kiosk.sync")

OUTBOX_BATCH = 200
MAX_PAGES_PER_RUN = 10_000
TIMEOUT = (10, 60)  # connect, read: a stalled centre cannot hold the sync forever
ACTOR = "sync"


class SyncError(Exception):
    """A sync round failed; the catalog is as it was before the failing page."""


class SyncBusy(Exception):
    """Another sync of this node is running."""


@dataclass
class SyncResult:
    pages: int = 0
    upserted: int = 0
    deleted: int = 0
    not_modified: bool = False
    outbox_sent: int = 0
    snapshot_cursor: int | None = None

    def summary(self) -> str:
        if self.not_modified:
            catalog = "catalog unchanged (304)"
        else:
            catalog = (
                f"{self.pages} page(s): {self.upserted} item(s) added or updated, "
                f"{self.deleted} removed"
            )
        if self.snapshot_cursor is not None:
            catalog = f"snapshot of version {self.snapshot_cursor} applied; {catalog}"
        return f"{catalog}; {self.outbox_sent} outbox record(s) delivered"


@contextmanager
def sync_lock(instance_path: str) -> Iterator[None]:
    """One sync per node, across threads and processes; the OS drops it if we die."""
    path = Path(instance_path) / "sync.lock"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncBusy("another sync of this node is running") from None
        yield
    finally:
        os.close(descriptor)


def get_state(session: Session, for_update: bool = False) -> SyncState:
    query = select(SyncState).where(SyncState.id == 1)
    state = session.scalar(query.with_for_update() if for_update else query)
    if state is None:
        state = SyncState(
            id=1,
            cursor=0,
            latest=0,
            etag="",
            resyncing=False,
            items_held=0,
            last_error="",
            outbox_sent=0,
        )
        session.add(state)
        session.flush()
    return state


def read_state(session: Session) -> SyncState:
    """The sync state for reading (pages): a blank one, not stored, before the first sync."""
    state = session.scalar(select(SyncState).where(SyncState.id == 1))
    if state is None:
        return SyncState(
            id=1, cursor=0, latest=0, etag="", resyncing=False, items_held=0, last_error="",
            outbox_sent=0,
        )  # fmt: skip
    return state


class Central:
    """HTTP to the central catalog with this node's token."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.http.headers["User-Agent"] = "kiosk-hall-sync/1"

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            response = self.http.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
            response.content  # noqa: B018 - read it all now: a cut-off body raises here
        except requests.RequestException as failure:
            raise SyncError(
                f"central catalog unreachable or answer cut off: "
                f"{failure.__class__.__name__}: {failure}"
            ) from None
        if response.status_code == 401:
            raise SyncError(
                "central catalog refused this node's token (HTTP 401): "
                "it was revoked or KIOSK_NODE_TOKEN is wrong"
            )
        return response

    def download(self, url: str, path: Path, size: int) -> None:
        """Fetch `url` into `path`, going on from the bytes already there (HTTP Range)."""
        have = path.stat().st_size if path.exists() else 0
        if have > size:
            path.unlink()
            have = 0
        if have == size:
            return
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with self.http.get(
                urljoin(self.base + "/", url), headers=headers, stream=True, timeout=TIMEOUT
            ) as response:
                if response.status_code not in (200, 206):
                    raise SyncError(f"snapshot download answered HTTP {response.status_code}")
                resumed = response.status_code == 206 and response.headers.get(
                    "Content-Range", ""
                ).startswith(f"bytes {have}-")
                with path.open("ab" if resumed else "wb") as handle:
                    # read1 hands over what arrived before a cut, so a resume loses none.
                    while chunk := response.raw.read1(1 << 16):
                        handle.write(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as failure:
            got = path.stat().st_size if path.exists() else 0
            raise SyncError(
                f"snapshot download cut off at {got} of {size} bytes "
                f"({failure.__class__.__name__}); the next round goes on "
                "from there"
            ) from None

    @staticmethod
    def json_of(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise SyncError(
                f"central catalog answer is not JSON (HTTP "
                f"{response.status_code}, {len(response.content)} bytes)"
            ) from None


def _fail(reason: str) -> SyncError:
    return SyncError(f"central catalog answer rejected: {reason}")


def _check_item(where: str, code: str, item: Any) -> None:
    if not isinstance(item, dict):
        raise _fail(f"{where}.item is missing")
    for field in (*ITEM_FIELDS, "changed_at"):
        if not isinstance(item.get(field), str):
            raise _fail(f"{where}.item.{field} is missing or not text")
    if item["code"] != code:
        raise _fail(f"{where}.item.code differs from the change's code")
    if item["status"] not in PUBLIC_STATUSES:
        raise _fail(f"{where} is not public ({item['status']}); it may not be held here")
    if item["level"] not in LEVELS or not item["region"]:
        raise _fail(f"{where}.item has no valid level or region")
    try:
        changed_at = datetime.fromisoformat(item["changed_at"])
    except ValueError:
        raise _fail(f"{where}.item.changed_at is not a time") from None
    if changed_at.tzinfo is None:
        raise _fail(f"{where}.item.changed_at has no UTC offset")


def validate_page(page: Any, since: int) -> dict[str, Any]:
    """The page if every part of it is sound; otherwise SyncError naming the first fault."""
    if not isinstance(page, dict):
        raise _fail("not a JSON object")
    if page.get("format") != FEED_FORMAT:
        raise _fail(f"unknown format {page.get('format')!r}")
    for key in ("since", "cursor", "latest", "count"):
        if type(page.get(key)) is not int:
            raise _fail(f"`{key}` is missing or not a whole number")
    if not isinstance(page.get("more"), bool) or not isinstance(page.get("changes"), list):
        raise _fail("`more` or `changes` is missing")
    changes = page["changes"]
    if page["since"] != since:
        raise _fail(f"it answers cursor {page['since']}, not {since}")
    if page["count"] != len(changes):
        raise _fail(f"it announces {page['count']} changes but holds {len(changes)}")
    if not since <= page["cursor"] <= page["latest"]:
        # The centre's catalog would be older than ours: never go backwards.
        raise _fail(f"cursor {page['cursor']} / version {page['latest']} is behind ours ({since})")
    if page["more"] and not changes:
        raise _fail("it says there is more but holds no change")
    previous = since
    for index, change in enumerate(changes):
        where = f"changes[{index}]"
        if not isinstance(change, dict) or type(change.get("seq")) is not int:
            raise _fail(f"{where} has no sequence number")
        if not previous < change["seq"] <= page["cursor"]:
            raise _fail(f"{where}.seq {change['seq']} is out of order")
        previous = change["seq"]
        code = change.get("code")
        if not isinstance(code, str) or not 0 < len(code) <= 64:
            raise _fail(f"{where}.code is missing")
        if change.get("op") == "upsert":
            _check_item(where, code, change.get("item"))
        elif change.get("op") != "delete":
            raise _fail(f"{where}.op {change.get('op')!r} is unknown")
    if "emergencies" in page:
        page["emergencies"] = [
            _check_emergency(f"emergencies[{index}]", emergency)
            for index, emergency in enumerate(_list_of(page, "emergencies"))
        ]
    return page


def _list_of(page: dict[str, Any], key: str) -> list[Any]:
    if not isinstance(page[key], list):
        raise _fail(f"`{key}` is not a list")
    return page[key]


def _check_emergency(where: str, emergency: Any) -> dict[str, Any]:
    """A county emergency notice, with its expiry read as a time."""
    if not isinstance(emergency, dict):
        raise _fail(f"{where} is not an object")
    for key, most in (("id", 40), ("title", 300), ("body", 5000)):
        value = emergency.get(key)
        if not isinstance(value, str) or len(value) > most or (key != "body" and not value):
            raise _fail(f"{where}.{key} is missing or too long")
    expires = emergency.get("expires_at")
    try:
        expires_at = datetime.fromisoformat(expires) if expires is not None else None
    except (TypeError, ValueError):
        raise _fail(f"{where}.expires_at is not a time") from None
    if expires_at is not None and expires_at.tzinfo is None:
        raise _fail(f"{where}.expires_at has no UTC offset")
    return {**emergency, "expires_at": expires_at}


def apply_page(session: Session, page: dict[str, Any], etag: str) -> tuple[int, int]:
    """Apply one validated page and move the cursor, in the caller's transaction."""
    state = get_state(session, for_update=True)
    if state.cursor != page["since"]:
        raise SyncError(f"cursor moved from {page['since']} to {state.cursor} meanwhile")
    upserted = deleted = 0
    # In feed order; each run of upserts between deletions is applied as one batch: one
    # lookup and one flush instead of several per item (first sync of 19,000 items 39 s -> 11 s,
    # bench/sync.py).
    run: dict[str, dict[str, Any]] = {}
    for change in page["changes"]:
        if change["op"] == "delete" or change["code"] in run:
            upserted += _apply_upserts(session, list(run.values()), state.resyncing)
            run = {}
        if change["op"] == "upsert":
            run[change["code"]] = change
        else:
            deleted += remove_item(session, change["code"], ACTOR, feed=False)
    upserted += _apply_upserts(session, list(run.values()), state.resyncing)
    if state.resyncing and not page["more"]:
        # A full copy arrived: what the centre did not send again is gone there.
        seen = select(ResyncSeen.code)
        for code in list(session.scalars(select(Item.code).where(Item.code.not_in(seen)))):
            deleted += remove_item(session, code, ACTOR, feed=False)
        session.execute(delete(ResyncSeen))
        state.resyncing = False
    if "emergencies" in page:  # a centre from before emergencies sends none: keep ours
        reconcile_county_emergencies(session, page["emergencies"])
    state.cursor, state.latest = page["cursor"], page["latest"]
    # The ETag names the answer at this cursor: only worth keeping if we stay here.
    state.etag = etag if page["cursor"] == page["since"] else ""
    session.flush()
    state.items_held = session.scalar(select(func.count(Item.id))) or 0
    return upserted, deleted


def _apply_upserts(session: Session, changes: list[dict[str, Any]], resyncing: bool) -> int:
    """Upsert a run of distinct items (a hall keeps no change feed); how many changed."""
    if not changes:
        return 0
    documents = [{field: change["item"][field] for field in ITEM_FIELDS} for change in changes]
    outcomes = upsert_items(session, documents, ACTOR)
    for change, (item, _outcome) in zip(changes, outcomes, strict=True):
        item.changed_at = datetime.fromisoformat(change["item"]["changed_at"])
    if resyncing:
        codes = [change["code"] for change in changes]
        seen = set(session.scalars(select(ResyncSeen.code).where(ResyncSeen.code.in_(codes))))
        session.add_all(ResyncSeen(code=code) for code in codes if code not in seen)
    session.flush()
    return sum(outcome != "unchanged" for _item, outcome in outcomes)


def _check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict):
        raise _fail("snapshot manifest is not a JSON object")
    for key in ("cursor", "items", "size"):
        if type(manifest.get(key)) is not int or manifest[key] < 0:
            raise _fail(f"snapshot manifest `{key}` is missing or not a whole number")
    digest = manifest.get("sha256")
    if (
        not isinstance(digest, str)
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise _fail("snapshot manifest `sha256` is not a SHA-256")
    if not isinstance(manifest.get("url"), str):
        raise _fail("snapshot manifest `url` is missing")
    return manifest


def _check_snapshot(snapshot: Snapshot) -> None:
    codes = set()
    for index, item in enumerate(snapshot.items):
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not 0 < len(code) <= 64 or code in codes:
            raise _fail(f"snapshot item {index} has no code or a repeated one")
        codes.add(code)
        _check_item(f"snapshot item {index}", code, item)


def apply_snapshot(session: Session, snapshot: Snapshot) -> tuple[int, int]:
    """Replace the whole catalog by a validated snapshot and move the cursor to its
    version, in the caller's transaction. Refuses one older than the catalog held."""
    state = get_state(session, for_update=True)
    if snapshot.cursor < state.cursor:
        raise SyncError(
            f"snapshot of version {snapshot.cursor} is older than this hall's "
            f"catalog version {state.cursor}; refusing to go backwards"
        )
    upserted = deleted = 0
    for start in range(0, len(snapshot.items), 500):
        upserted += _apply_upserts(
            session,
            [{"code": item["code"], "item": item} for item in snapshot.items[start : start + 500]],
            False,
        )
    # A whole copy: what it does not hold is gone at the centre (or out of this scope).
    keep = {item["code"] for item in snapshot.items}
    for code in list(session.scalars(select(Item.code))):
        if code not in keep:
            deleted += remove_item(session, code, ACTOR, feed=False)
    session.execute(delete(ResyncSeen))
    state.cursor, state.latest = snapshot.cursor, max(state.latest, snapshot.cursor)
    state.etag, state.resyncing = "", False
    session.flush()
    state.items_held = session.scalar(select(func.count(Item.id))) or 0
    return upserted, deleted


def read_snapshot(path: Path) -> Snapshot:
    try:
        snapshot = decode_snapshot(path.read_bytes())
    except SnapshotError as failure:
        raise SyncError(f"snapshot {path.name} rejected: {failure}") from None
    _check_snapshot(snapshot)
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
        raise SyncError(
            f"central catalog answered HTTP {response.status_code} for the snapshot manifest"
        )
    manifest = _check_manifest(Central.json_of(response))
    staging = Path(instance_path) / "sync-download"
    staging.mkdir(exist_ok=True)
    part = staging / f"{manifest['sha256']}.part"
    for stale in staging.iterdir():  # downloads of older snapshots are of no more use
        if stale != part:
            stale.unlink()
    central.download(manifest["url"], part, manifest["size"])
    digest = hashlib.sha256(part.read_bytes()).hexdigest()
    if digest != manifest["sha256"]:
        part.unlink()
        raise SyncError(
            f"snapshot download rejected: its SHA-256 is {digest}, the manifest "
            f"says {manifest['sha256']}; the catalog is unchanged"
        )
    snapshot = read_snapshot(part)
    if (snapshot.cursor, len(snapshot.items)) != (manifest["cursor"], manifest["items"]):
        part.unlink()
        raise _fail("snapshot differs from its manifest in version or item count")
    with database.session() as session:
        upserted, deleted = apply_snapshot(session, snapshot)
    part.unlink()
    log.info("snapshot of version %d applied: %d item(s)", snapshot.cursor, len(snapshot.items))
    result.snapshot_cursor = snapshot.cursor
    result.upserted += upserted
    result.deleted += deleted
    return True


def load_snapshot(app: Flask, path: Path) -> SyncResult:
    """Apply a snapshot file carried to the hall (e.g. on a USB stick)."""
    database: Database = app.extensions["kiosk_db"]
    with sync_lock(app.instance_path):
        snapshot = read_snapshot(path)
        region = app.config["KIOSK_REGION"]
        if region and normalise_path(region) != snapshot.region:
            raise SyncError(f"snapshot is of region {snapshot.region}, this hall is {region}")
        with database.session() as session:
            upserted, deleted = apply_snapshot(session, snapshot)
            get_state(session).last_success_at = utcnow()
    return SyncResult(upserted=upserted, deleted=deleted, snapshot_cursor=snapshot.cursor)


def _start_over(database: Database) -> None:
    with database.session() as session:
        state = get_state(session, for_update=True)
        state.cursor, state.etag, state.resyncing = 0, "", True
        session.execute(delete(ResyncSeen))


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
            if cursor == 0 and not state.resyncing:
                # Starting from nothing is a full copy: what the centre does not send goes.
                state.resyncing = True
                session.execute(delete(ResyncSeen))
        headers = {"If-None-Match": etag} if etag else {}
        response = central.request(
            "GET", "/changes", params={"cursor": cursor, "limit": page_size}, headers=headers
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
            _start_over(database)
            continue
        if response.status_code == 409:
            raise SyncError(
                f"central catalog is older than our version {cursor}; refusing to go backwards"
            )
        if response.status_code != 200:
            raise SyncError(f"central catalog answered HTTP {response.status_code}")
        page = validate_page(Central.json_of(response), cursor)
        with database.session() as session:
            upserted, deleted = apply_page(session, page, response.headers.get("ETag", ""))
        result.pages += 1
        result.upserted += upserted
        result.deleted += deleted
        if not page["more"]:
            return
    raise SyncError(f"stopped after {MAX_PAGES_PER_RUN} pages; the next round goes on")


def deliver_outbox(database: Database, central: Central, result: SyncResult) -> None:
    """Send pending records in batches; each is marked sent only once the centre holds it."""
    while True:
        with database.session() as session:
            batch = [
                {
                    "key": entry.key,
                    "kind": entry.kind,
                    "payload": entry.payload,
                    "created_at": entry.created_at.isoformat(),
                }
                for entry in pending(session, OUTBOX_BATCH)
            ]
        if not batch:
            return
        keys = [entry["key"] for entry in batch]
        try:
            response = central.request("POST", "/outbox", json={"entries": batch})
            if response.status_code != 200:
                raise SyncError(
                    f"central catalog refused the outbox batch: HTTP "
                    f"{response.status_code} {response.text[:200]}"
                )
            answer = Central.json_of(response)
            acknowledged = answer.get("acknowledged") if isinstance(answer, dict) else None
            if not isinstance(acknowledged, list) or not set(keys) <= set(acknowledged):
                raise SyncError("central catalog did not acknowledge the whole outbox batch")
        except SyncError as failure:
            with database.session() as session:
                session.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.key.in_(keys))
                    .values(attempts=OutboxEntry.attempts + 1, last_error=str(failure)[:500])
                )
            raise
        with database.session() as session:
            marked = session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.key.in_(keys), OutboxEntry.sent_at.is_(None))
                .values(sent_at=utcnow(), attempts=OutboxEntry.attempts + 1, last_error="")
            ).rowcount
            get_state(session).outbox_sent += marked
        result.outbox_sent += marked


def run_sync(app: Flask) -> SyncResult:
    """One round: pull catalog changes, then deliver the outbox. Raises SyncError/SyncBusy."""
    url, token = app.config["KIOSK_CENTRAL_URL"], app.config["KIOSK_NODE_TOKEN"]
    if not url:
        raise InputError("KIOSK_CENTRAL_URL is not set: this node has no central catalog")
    if not token:
        raise InputError("KIOSK_NODE_TOKEN is not set: ask the county for this node's token")
    database: Database = app.extensions["kiosk_db"]
    with sync_lock(app.instance_path):
        with database.session() as session:
            get_state(session).last_attempt_at = utcnow()
        central = Central(url, token)
        result = SyncResult()
        failures: list[str] = []
        page_size = max(1, min(app.config["KIOSK_SYNC_PAGE_SIZE"], MAX_PAGE))
        # The two directions fail apart: a bad catalog page must not hold back the outbox.
        try:
            for step in (
                lambda: pull_catalog(database, central, result, page_size, app.instance_path),
                lambda: deliver_outbox(database, central, result),
            ):
                try:
                    step()
                except SyncError as failure:
                    failures.append(str(failure))
        finally:
            central.close()
        if failures:
            message = "; ".join(dict.fromkeys(failures))
            log.error("sync failed: %s", message)
            with database.session() as session:
                state = get_state(session)
                state.last_error, state.last_error_at = message[:2000], utcnow()
            raise SyncError(message)
        with database.session() as session:
            state = get_state(session)
            state.last_success_at = utcnow()
            state.items_held = session.scalar(select(func.count(Item.id))) or 0
        log.info("sync done: %s", result.summary())
        return result


def sync_job(app: Flask) -> None:
    """Background round of `kiosk serve`; a failure propagates so the runner backs off."""
    try:
        run_sync(app)
    except SyncBusy:
        log.info("sync skipped: another sync of this node is running")


def sync_forever(app: Flask) -> None:
    """`kiosk sync` without --once: rounds at the configured interval, backing off on error."""
    job = Job("catalog-sync", sync_job, app.config["KIOSK_SYNC_INTERVAL"])
    stopping = app.extensions["kiosk_jobs"].stopping
    while not stopping.is_set():
        try:
            job.run(app)
            job.failures = 0
        except SyncError:
            job.failures += 1
        stopping.wait(job.next_wait())


def status_lines(session: Session) -> list[str]:
    """The node's sync status as a person reads it (CLI and admin)."""
    state = read_state(session)
    waiting = (
        session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.sent_at.is_(None))) or 0
    )

    def when(moment: datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "never"

    lines = [
        f"catalog version {state.cursor} (centre at {state.latest}, "
        f"{max(state.latest - state.cursor, 0)} behind)",
        f"items held: {state.items_held}",
        f"last success: {when(state.last_success_at)}",
        f"last error: {when(state.last_error_at)}"
        + (f" — {state.last_error}" if state.last_error else ""),
        f"outbox: {waiting} waiting, {state.outbox_sent} delivered",
    ]
    if state.resyncing:
        lines.insert(1, "full resync in progress")
    return lines
