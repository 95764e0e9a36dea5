"""Hostile numbers and text in every URL, query and catalog file: 400, 404 or a one-line
error, never a server error (issue 15, "Crashes")."""

from __future__ import annotations

import json

import pytest
from werkzeug.routing import Rule

from kiosk.parsing import ID
from tests.conftest import TEST_PASSWORD, csrf_token_of, signed_in

# Past 64 bits, non-ASCII digits (superscript, circled, Arabic-Indic), signs and spaces.
HOSTILE_IDS = ["99999999999999999999999", str(2**63), "²", "①", "١٢", "-1", "1e3", " 1"]
HOSTILE_TEXT = [*HOSTILE_IDS, "..%2F..%2Fetc", "%00", "%C2%B2", "a" * 600]


def _paths(rule: Rule, values: list[str]) -> list[str]:
    """The rule's URL with each hostile value in each of its arguments (others: 1)."""
    paths = []
    for argument in sorted(rule.arguments):
        for value in values:
            path = rule.rule
            for segment in rule.rule.split("/"):
                if segment.startswith("<") and segment.endswith(">"):
                    name = segment.strip("<>").split(":")[-1]
                    path = path.replace(segment, value if name == argument else "1", 1)
            paths.append(path)
    return paths


def _get_rules(app) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.arguments and "GET" in (rule.methods or ()) and rule.endpoint != "static"
    ]


def _id_arguments(rule: Rule) -> set[str]:
    return {name for name, kind in rule._converters.items() if kind.regex == ID.pattern}  # noqa: SLF001


@pytest.fixture(params=["hall", "central"])
def staff(request, app_factory):
    app = app_factory(demo=True, KIOSK_ROLE=request.param)
    return app, signed_in(app, "probe", "county_admin")


def test_every_page_with_an_id_answers_404_for_hostile_ids(staff):
    app, client = staff
    probed = 0
    for rule in _get_rules(app):
        ids = _id_arguments(rule)
        for path in _paths(rule, HOSTILE_IDS):
            answer = client.get(path)
            probed += 1
            assert answer.status_code < 500, (path, answer.get_data(as_text=True)[:300])
            if ids and set(rule.arguments) == ids:
                assert answer.status_code in (404, 405), path
    assert probed > 100


def test_every_page_survives_hostile_text_in_its_path(staff):
    app, client = staff
    for rule in _get_rules(app):
        for path in _paths(rule, HOSTILE_TEXT):
            answer = client.get(path)
            assert answer.status_code < 500, (path, answer.get_data(as_text=True)[:300])


@pytest.mark.parametrize(
    "path",
    [
        "/notices/99999999999999999999999",
        "/audio/notice/²",
        "/audio/notice/١٢",
        "/player/media/99999999999999999999999",
        "/player/media/①",
        "/items/%00",
    ],
)
def test_the_issues_examples_are_not_found(demo_app, path):
    assert demo_app.test_client().get(path).status_code == 404


@pytest.mark.parametrize("cursor", ["%C2%B2", "%D9%A1%D9%A2", "99999999999999999999999", "-1"])
def test_a_hostile_cursor_is_a_400_naming_it(centre, cursor):
    client, headers = centre
    answer = client.get(f"/api/v1/changes?cursor={cursor}", headers=headers)
    assert answer.status_code == 400
    assert "cursor" in answer.get_data(as_text=True)


@pytest.mark.parametrize("entry", [10**30, 2**63, -(2**63) - 1, 1.5, "²"])
def test_a_heartbeat_naming_an_entry_past_64_bits_is_taken_or_refused(player, entry):
    answer = player.post(
        "/player/lobby/heartbeat",
        data=json.dumps({"entry": entry}),
        content_type="application/json",
    )
    assert answer.status_code in (200, 204, 400), answer.get_data(as_text=True)[:300]


def test_the_openapi_document_states_what_the_server_enforces(centre):
    client, headers = centre
    document = client.get("/api/v1/openapi.json").json
    [cursor] = [
        parameter
        for parameter in document["paths"]["/changes"]["get"]["parameters"]
        if parameter["name"] == "cursor"
    ]
    biggest = cursor["schema"]["maximum"]
    assert client.get(f"/api/v1/changes?cursor={biggest}", headers=headers).status_code == 409
    assert client.get(f"/api/v1/changes?cursor={biggest + 1}", headers=headers).status_code == 400
    entry = document["components"]["schemas"]["OutboxEntry"]["properties"]
    assert entry["key"]["minLength"] == entry["kind"]["minLength"] == 1
    for empty in ({"key": "", "kind": "usage.rating"}, {"key": "k1", "kind": ""}):
        batch = {"entries": [{**empty, "payload": {}, "created_at": "2026-12-01T08:00:00+08:00"}]}
        answer = client.post("/api/v1/outbox", json=batch, headers=headers)
        assert answer.status_code == 400, empty


def test_an_outbox_entry_with_fields_the_document_does_not_name_is_stored(centre):
    """Found by schemathesis: extra properties (allowed by the schema) were a 500."""
    client, headers = centre
    entry = {"key": "k1", "kind": "usage.rating", "payload": {}, "\x7f": [1], "note": "新"}
    answer = client.post("/api/v1/outbox", json={"entries": [entry]}, headers=headers)
    assert answer.status_code == 200
    assert answer.json["acknowledged"] == ["k1"]


@pytest.mark.parametrize("target", ["/admin/%0D%0ASet-Cookie:%20x=1", "/admin/%09x", "/%00admin"])
def test_a_next_with_control_characters_is_ignored(client, make_user, target):
    make_user()
    page = client.get(f"/admin/login?next={target}")
    response = client.post(
        f"/admin/login?next={target}",
        data={
            "name": "manager",
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token_of(page.get_data(as_text=True)),
        },
    )
    assert response.headers["Location"] == "/admin/"
