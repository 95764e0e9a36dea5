"""schemathesis against the centre's OpenAPI document, as a real server on loopback: no
answer is a server error, and every answer fits what the document says (status, content
type, schema)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


def test_the_api_answers_as_its_openapi_document_says(centre_url, tmp_path: Path):
    url, token = centre_url
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{url}/api/v1/openapi.json",
        "--url",
        f"{url}/api/v1",
        "--header",
        f"Authorization: Bearer {token}",
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
    ]
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
