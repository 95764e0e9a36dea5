"""Sync fixtures: a real PostgreSQL server for the run, a central node and hall nodes
served by waitress on loopback, and central items made through the catalog services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from bench.postgres import PostgresServer, PostgresUnavailable, standby_of
from bench.postgres import postgres_server as debian_postgres
from kiosk.catalog.services import remove_item, upsert_item
from kiosk.db import Database
from kiosk.migrate import upgrade
from kiosk.serve import serve_in_thread
from kiosk.sync.nodes import add_node

BACKENDS = ("sqlite", "postgresql")


@dataclass
class TemplatedPostgres:
    server: PostgresServer
    template: str  # name of a migrated database

    def new_database(self) -> str:
        """A fresh database cloned from the migrated template; returns its URL."""
        return self.server.create_database(template=self.template)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemplatedPostgres]:
    """A throwaway PostgreSQL server (bench/postgres.py) with a migrated template database."""
    try:
        with debian_postgres() as server:
            template = Database(server.create_database())
            upgrade(template.engine)
            template.dispose()  # a template may have no open connection when cloned
            yield TemplatedPostgres(server, template.engine.url.database)
    except PostgresUnavailable as problem:
        pytest.fail(str(problem))


@pytest.fixture(scope="session")
def replicated() -> Iterator[tuple[PostgresServer, PostgresServer]]:
    """A PostgreSQL server of its own (small: the copy is quick) and a hot standby following
    it by streaming replication."""
    try:
        with debian_postgres() as primary, standby_of(primary) as replica:
            yield primary, replica
    except PostgresUnavailable as problem:
        pytest.fail(str(problem))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> Callable[[], dict]:
    """Settings that put a node on this test's backend (SQLite: the default file)."""

    def settings() -> dict:
        if backend == "sqlite":
            return {}
        server = request.getfixturevalue("postgres_server")
        return {"KIOSK_DATABASE_URL": server.new_database()}

    return settings


ITEM = {
    "disclosure_type": "服务",
    "domain": "社会救助",
    "category1": "最低生活保障",
    "category2": "",
    "content": "申请条件、申请材料、办理流程。",
    "publisher": "民政办",
    "disclosure_form": "主动公开",
    "status": "已公开",
}
COUNTY, TOWN, VILLAGE = "示范县", "示范县/城关镇", "示范县/城关镇/东村"
OTHER_TOWN = "示范县/河西镇"
LEVEL = {COUNTY: "县级", TOWN: "乡级", VILLAGE: "村级", OTHER_TOWN: "乡级"}


@dataclass
class Central:
    app: Flask
    url: str

    @property
    def database(self) -> Database:
        return self.app.extensions["kiosk_db"]

    def put(self, code: str, region: str = TOWN, **values: str) -> None:
        """Add or change an item at the centre, as the importer does."""
        document = {
            **ITEM,
            "code": code,
            "name": f"事项{code}",
            "region": region,
            "level": LEVEL[region],
            **values,
        }
        with self.database.session() as session:
            upsert_item(session, document, actor="test")

    def remove(self, code: str) -> None:
        with self.database.session() as session:
            assert remove_item(session, code, actor="test")

    def node(self, name: str = "hall", region: str = VILLAGE) -> str:
        with self.database.session() as session:
            return add_node(session, name, region, actor="test")[1]


@pytest.fixture
def central(app_factory, database_url) -> Iterator[Central]:
    app = app_factory(name="central", KIOSK_ROLE="central", **database_url())
    with serve_in_thread(app) as url:
        yield Central(app, url)


@pytest.fixture
def make_hall(app_factory, database_url, central: Central) -> Callable[..., Flask]:
    """make_hall(token, name="hall", **settings): a hall node pointed at the central one."""

    def make(token: str, name: str = "hall", **settings) -> Flask:
        overrides = {
            "KIOSK_CENTRAL_URL": central.url,
            "KIOSK_NODE_TOKEN": token,
            "KIOSK_REGION": VILLAGE,
            **database_url(),
            **settings,
        }
        return app_factory(name=name, **overrides)

    return make
