"""A throwaway PostgreSQL server from Debian's binaries, for tests and benchmarks.

Knows nothing of the kiosk: it starts a server on a free loopback port with durability
switched off (the data is thrown away), hands out fresh databases, and removes it all.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text


class PostgresUnavailable(RuntimeError):
    """The binaries are missing or the server would not start."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL binaries missing under /usr/lib/postgresql: "
            "install Debian's postgresql package (`make test` does)"
        )
    return Path(found[-1]).parent


@dataclass
class PostgresServer:
    url: str  # server URL without a database name
    port: int = 0
    counter: itertools.count = field(default_factory=itertools.count)

    def create_database(self, template: str = "template1") -> str:
        """A fresh database (a copy of `template`); returns its URL."""
        name = f"db_{os.getpid()}_{next(self.counter)}"
        engine = create_engine(f"{self.url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        engine.dispose()
        return f"{self.url}/{name}"


def _as_postgres(root: Path) -> list[str]:
    """PostgreSQL refuses to run as root: as root, commands run as the postgres user."""
    if os.geteuid() != 0:
        return []
    shutil.chown(root, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--"]


def _run(as_user: list[str], *command: str) -> None:
    result = subprocess.run([*as_user, *command], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"{Path(command[0]).name} failed: {result.stdout}\n{result.stderr}"
        )


def _prepare(root: Path, as_user: list[str], *command: str) -> None:
    """Make the data folder; on failure nothing is left behind."""
    try:
        _run(as_user, *command)
    except PostgresUnavailable:
        shutil.rmtree(root, ignore_errors=True)
        raise


@contextmanager
def _running(root: Path, data: Path, port: int, as_user: list[str]) -> Iterator[None]:
    """The server of `data` started on `port`; stopped and its folder removed after."""
    binaries = bin_dir()
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        _run(
            as_user,
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        yield
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *as_user,
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def standby_of(primary: PostgresServer) -> Iterator[PostgresServer]:
    """A hot standby of `primary` by streaming replication (pg_basebackup -R): every database
    of the primary, read-only, a moment behind. The same URLs with the standby's port."""
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-standby-"))
    as_user = _as_postgres(root)
    data, port = root / "data", free_port()
    _prepare(
        root,
        as_user,
        str(bin_dir() / "pg_basebackup"),
        "-D",
        str(data),
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        "postgres",
        "-R",  # writes standby.signal and primary_conninfo: it follows the primary
        "-X",
        "stream",
        "--no-sync",
    )
    with _running(root, data, port, as_user):
        yield PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}", port)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a server (as user postgres when run as root: it refuses root); stop it after."""
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    as_user = _as_postgres(root)
    data, port = root / "data", free_port()
    _prepare(
        root,
        as_user,
        str(bin_dir() / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    )
    with _running(root, data, port, as_user):
        yield PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}", port)
