"""The `kiosk` command run as a real process, as an operator runs it, and a look into the
database it left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from kiosk.db import Database

KIOSK = [sys.executable, "-m", "kiosk"]


def kiosk(
    instance: Path, *args: str, password: str | None = None, **env: str
) -> subprocess.CompletedProcess:
    """`kiosk ARGS` on the node in `instance`, with only these KIOSK_* settings."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    environ.update({"KIOSK_INSTANCE_PATH": str(instance), **env})
    if password is not None:
        environ["KIOSK_PASSWORD"] = password
    return subprocess.run(
        [*KIOSK, *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def count(instance: Path, model) -> int:
    """Rows of `model` in the node's SQLite database."""
    database = Database(f"sqlite:///{instance / 'kiosk.db'}")
    with database.session() as session:
        number = session.scalar(select(func.count()).select_from(model))
    database.dispose()
    return number or 0
