"""schemathesis against the centre's OpenAPI document, as a real server on loopback: no
answer is a server error, and every answer fits what the document says (status, content
type, schema). Once with a hall node's token (the sync endpoints), once with a staff API
key (the management API)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.accounts.keys import create_key
from kiosk.serve import serve_in_thread
from kiosk.sync.nodes import add_node

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


@pytest.fixture
def centre_url(app_factory):
    app = app_factory(demo=True, KIOSK_ROLE="central")
    with app.extensions["kiosk_db"].session() as session:
        _node, token = add_node(session, "东村", "示范县/城关镇/东村", actor="test")
    with serve_in_thread(app) as url:
        yield url, token


def schemathesis(url: str, secret: str, tmp_path: Path, *options: str) -> None:
    """Run schemathesis against the document at `url` with `secret` as the bearer."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{url}/api/v1/openapi.json",
        "--url",
        f"{url}/api/v1",
        "--header",
        f"Authorization: Bearer {secret}",
        "--checks",
        CHECKS,
        "--max-examples",
        "25",
        "--workers",
        "1",
        "--seed",
        "15",
        "--no-color",
        "--report-dir",
        str(tmp_path),
        *options,
    ]
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


def test_the_api_answers_as_its_openapi_document_says(centre_url, tmp_path: Path):
    url, token = centre_url
    schemathesis(url, token, tmp_path)


@pytest.mark.parametrize("role", ["central", "hall"])
def test_the_management_api_answers_a_staff_key_as_its_document_says(
    app_factory, tmp_path: Path, role: str
):
    """The management paths with a county admin's key (the node token above gets 401 there):
    creating, changing and removing through the links of the document, on a centre and a
    hall with the demo signage set."""
    app = app_factory(demo=True, KIOSK_ROLE=role)
    with app.extensions["kiosk_db"].session() as session:
        _key, secret = create_key(session, "schemathesis", "county_admin", "test")
    with serve_in_thread(app) as url:
        schemathesis(url, secret, tmp_path, "--include-tag", "management")
