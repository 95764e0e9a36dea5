"""Sync fixtures: a real PostgreSQL server for the run, a central node and hall nodes
served by waitress on loopback, and central items made through the catalog services."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from kiosk.catalog.services import remove_item, upsert_item
from kiosk.db import Database
from kiosk.migrate import upgrade
from kiosk.serve import serve_in_thread
from kiosk.sync.nodes import add_node

BACKENDS = ("sqlite", "postgresql")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        pytest.fail("PostgreSQL binaries missing under /usr/lib/postgresql: run `make test`, "
                    "which installs Debian's postgresql package")
    return Path(found[-1]).parent


@dataclass
class PostgresServer:
    url: str  # server URL without a database name
    counter: itertools.count

    def new_database(self) -> str:
        """A fresh database cloned from the migrated template; returns its URL."""
        name = f"kiosk_{os.getpid()}_{next(self.counter)}"
        engine = create_engine(f"{self.url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE kiosk_template'))
        engine.dispose()
        return f"{self.url}/{name}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server from Debian's package, on a free loopback port."""
    bin_dir = _postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()

    def run(*command: str) -> None:
        result = subprocess.run([*as_user, *command], capture_output=True, text=True,
                                timeout=120)
        if result.returncode != 0:
            pytest.fail(f"{command[0]} failed: {result.stdout}\n{result.stderr}")

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
    options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off")
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
        "-w", "-t", "60", "start")
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    try:
        engine = create_engine(f"{url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE kiosk_template"))
        engine.dispose()
        template = Database(f"{url}/kiosk_template")
        upgrade(template.engine)
        template.dispose()  # a template may have no open connection when cloned
        yield PostgresServer(url, itertools.count())
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


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
    "disclosure_type": "服务", "domain": "社会救助", "category1": "最低生活保障",
    "category2": "", "content": "申请条件、申请材料、办理流程。",
    "publisher": "民政办", "disclosure_form": "主动公开", "status": "已公开",
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
        document = {**ITEM, "code": code, "name": f"事项{code}", "region": region,
                    "level": LEVEL[region], **values}
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
        overrides = {"KIOSK_CENTRAL_URL": central.url, "KIOSK_NODE_TOKEN": token,
                     "KIOSK_REGION": VILLAGE, **database_url(), **settings}
        return app_factory(name=name, **overrides)

    return make
