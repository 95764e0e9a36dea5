"""The centre's change feed and snapshots answered by a read replica (PostgreSQL streaming
replication, KIOSK_DATABASE_READ_URL), falling back to the primary where the replica is
behind what a hall already holds."""

from __future__ import annotations

import time

import pytest
import requests
from sqlalchemy import create_engine, select, text

from kiosk.catalog.models import Item
from kiosk.catalog.services import upsert_item
from kiosk.serve import serve_in_thread
from kiosk.sync.changes import current_version
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.nodes import add_node
from tests.sync.conftest import ITEM, VILLAGE


def replica_url(primary_url: str, standby) -> str:
    return f"{standby.url}/{primary_url.rsplit('/', 1)[1]}"


def on_replica(url: str, query: str) -> object:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            return connection.execute(text(query)).scalar()
    finally:
        engine.dispose()


def caught_up(primary_url: str, standby_url: str) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    target = on_replica(primary_url, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            done = on_replica(standby_url, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        except Exception:  # noqa: BLE001 - the new database may not have reached it yet
            done = False
        if done:
            return
        time.sleep(0.1)
    pytest.fail("the replica did not catch up within 30 s")


def put(central, code: str) -> None:
    with central.extensions["kiosk_db"].session() as session:
        document = {**ITEM, "code": code, "name": f"事项{code}", "region": VILLAGE}
        upsert_item(session, {**document, "level": "村级"}, actor="test")


def held(hall) -> set[str]:
    with hall.extensions["kiosk_db"].session() as session:
        return set(session.scalars(select(Item.code)))


def test_halls_read_the_feed_from_the_replica_and_the_primary_answers_past_it(
    app_factory, replicated
):
    server, standby = replicated
    primary = server.create_database()
    replica = replica_url(primary, standby)
    caught_up(primary, replica)
    central = app_factory(
        name="central",
        KIOSK_ROLE="central",
        KIOSK_DATABASE_URL=primary,
        KIOSK_DATABASE_READ_URL=replica,
    )
    put(central, "V1")
    with central.extensions["kiosk_db"].session() as session:
        token = add_node(session, "hall", VILLAGE, actor="test")[1]
    try:
        with serve_in_thread(central) as url:
            hall = app_factory(
                name="hall", KIOSK_CENTRAL_URL=url, KIOSK_NODE_TOKEN=token, KIOSK_REGION=VILLAGE
            )
            caught_up(primary, replica)
            run_sync(hall)
            assert held(hall) == {"V1"}

            # The replica stops replaying: what the primary gets next is not in the feed yet.
            on_replica(replica, "SELECT pg_wal_replay_pause()")
            put(central, "V2")
            run_sync(hall)
            assert held(hall) == {"V1"}

            # A cursor the replica has not reached is answered by the primary, not refused.
            with central.extensions["kiosk_db"].session() as session:
                newest = current_version(session)[0]
            answer = requests.get(
                f"{url}/api/v1/changes",
                params={"cursor": newest},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            assert answer.status_code == 200 and answer.json()["latest"] == newest

            on_replica(replica, "SELECT pg_wal_replay_resume()")
            caught_up(primary, replica)
            # Replication is asynchronous: the change reaches the feed within moments.
            deadline = time.monotonic() + 30
            while held(hall) != {"V1", "V2"} and time.monotonic() < deadline:
                run_sync(hall)
                time.sleep(0.2)
            assert held(hall) == {"V1", "V2"}
    finally:
        central.extensions["kiosk_read_db"].dispose()
