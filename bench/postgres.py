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
    counter: itertools.count = field(default_factory=itertools.count)

    def create_database(self, template: str = "template1") -> str:
        """A fresh database (a copy of `template`); returns its URL."""
        name = f"db_{os.getpid()}_{next(self.counter)}"
        engine = create_engine(f"{self.url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        engine.dispose()
        return f"{self.url}/{name}"


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a server (as user postgres when run as root: it refuses root); stop it after."""
    binaries = bin_dir()
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()

    def run(*command: str) -> None:
        result = subprocess.run([*as_user, *command], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"{Path(command[0]).name} failed: {result.stdout}\n{result.stderr}"
            )

    try:
        run(
            str(binaries / "initdb"),
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
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        run(
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
        yield PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}")
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
