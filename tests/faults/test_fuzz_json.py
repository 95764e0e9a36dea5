"""Random JSON, numbers and strings at every JSON endpoint: answers are never a 5xx."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
)
TEXT = st.one_of(st.text(), st.sampled_from(["\ud800", "²", "①", "١٢", "\x00", "' OR 1=1 --"]))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(
            st.one_of(
                TEXT,
                st.sampled_from(
                    [
                        "entry",
                        "plays",
                        "key",
                        "kind",
                        "payload",
                        "created_at",
                        "entries",
                        "start",
                        "end",
                        "title",
                        "version",
                        "viewport",
                        "reason",
                        "playlist",
                    ]
                ),
            ),
            inner,
            max_size=5,
        ),
    ),  # fmt: skip
    max_leaves=20,
)
# Shaped like what the endpoints expect, with hostile values inside.
SHAPED = st.one_of(
    st.fixed_dictionaries({"plays": st.lists(st.dictionaries(st.sampled_from(
        ["key", "start", "end", "playlist", "entry", "title"]), SCALARS), max_size=3)}),
    st.fixed_dictionaries({"entries": st.lists(st.dictionaries(st.sampled_from(
        ["key", "kind", "payload", "created_at"]), DOCUMENTS), max_size=3)}),
    st.dictionaries(st.sampled_from(["entry", "title", "version", "viewport"]), SCALARS),
)  # fmt: skip
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _body(document) -> str:
    return json.dumps(document, allow_nan=True)


@pytest.mark.parametrize("path", ["heartbeat", "plays", "failures", "register"])
@FUZZ
@given(document=st.one_of(DOCUMENTS, SHAPED))
def test_player_endpoints(player, path, document):
    answer = player.post(f"/player/lobby/{path}", data=_body(document),
                         content_type="application/json")  # fmt: skip
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]


@FUZZ
@given(document=st.one_of(DOCUMENTS, SHAPED))
def test_the_centre_outbox(centre, document):
    client, headers = centre
    answer = client.post("/api/v1/outbox", data=_body(document), headers=headers,
                         content_type="application/json")  # fmt: skip
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]


@FUZZ
@given(cursor=st.one_of(TEXT, NUMBERS.map(str)), limit=st.one_of(TEXT, NUMBERS.map(str)))
def test_the_change_feed_query(centre, cursor, limit):
    client, headers = centre
    # As raw bytes, lone surrogates too (what a hostile client can put in a URL).
    raw = "&".join(f"{name}={quote(value.encode('utf-8', 'surrogatepass'))}"
                   for name, value in (("cursor", cursor), ("limit", limit)))  # fmt: skip
    answer = client.get(f"/api/v1/changes?{raw}", headers=headers)
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]
