"""The `kiosk` command, run as a real process like an operator would."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kiosk.accounts.models import User
from kiosk.catalog.models import Item
from kiosk.notices.models import Notice
from tests.commands import KIOSK, count
from tests.commands import kiosk as run_kiosk


def test_users_create_and_its_errors(tmp_path: Path):
    ok = run_kiosk(
        tmp_path, "users", "create", "boss", "--role", "county_admin", password="a long password"
    )
    assert ok.returncode == 0, ok.stderr
    assert "created user boss" in ok.stdout
    cases = [
        (("boss", "--role", "viewer"), "a long password", "已经有名为“boss”的用户了"),
        (("clerk", "--role", "viewer"), "short", "密码太简单"),
        (("clerk", "--role", "wizard"), "a long password", "'wizard' is not one of"),
    ]
    for args, password, message in cases:
        result = run_kiosk(tmp_path, "users", "create", *args, password=password)
        assert result.returncode != 0
        assert message in result.stderr
    assert count(tmp_path, User) == 1


def test_unreachable_database_is_one_line_error(tmp_path: Path):
    result = run_kiosk(
        tmp_path,
        "users",
        "create",
        "x",
        "--role",
        "viewer",
        password="a long password",
        KIOSK_DATABASE_URL="postgresql://kiosk@127.0.0.1:9/none",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: cannot use database")


def test_unwritable_instance_directory_is_one_line_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_kiosk(blocker / "instance", "demo")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"Error: cannot create instance directory {blocker / 'instance'}: Not a directory"
    )


def test_demo_loads_once(tmp_path: Path):
    first = run_kiosk(tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    assert "演示数据" in first.stdout
    items, notices = count(tmp_path, Item), count(tmp_path, Notice)
    assert items >= 200
    assert notices >= 12
    second = run_kiosk(tmp_path, "demo")
    assert f"0 added, 0 updated, {items} unchanged; 0 notices added" in second.stdout
    skipped = run_kiosk(tmp_path, "demo", "--if-empty")
    assert "not loaded" in skipped.stdout
    assert (count(tmp_path, Item), count(tmp_path, Notice)) == (items, notices)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_logs_requests_and_stops_on_sigterm(tmp_path: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_INSTANCE_PATH"] = str(tmp_path)
    server = subprocess.Popen(
        [*KIOSK, "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = json.loads(wait_for(f"http://127.0.0.1:{port}/healthz"))
        assert health == {"status": "ok", "role": "hall", "database": "ok"}
        assert b"<html" in wait_for(f"http://127.0.0.1:{port}/")
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert '"GET /healthz" 200' in output
    assert "started jobs" in output
    assert f"serving on http://127.0.0.1:{port} with 2 threads" in output
    assert "Logging error" not in output
    assert "stopped jobs" in output


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not a url", "Could not parse"),
        ("foo://x/y", "Can't load plugin"),
        ("mysql+nosuchdriver://u@h/d", "Can't load plugin"),
        ("postgresql+pg8000://u@localhost/db", "the driver is not installed"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_one_line(tmp_path: Path, url: str, reason: str):
    result = run_kiosk(tmp_path, "demo", KIOSK_DATABASE_URL=url)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "KIOSK_DATABASE_URL" in lines[0] and reason in lines[0]


def test_node_tokens_are_issued_only_at_the_centre(tmp_path: Path):
    result = run_kiosk(tmp_path, "nodes", "add", "东村", "--region", "示范县")
    assert result.returncode == 1 and "KIOSK_ROLE=central" in result.stderr
