"""Files named by their content: stored once and whole, removed when unused, served to a
node only when something in its scope uses them, resumable with Range."""

from __future__ import annotations

import hashlib
import io

import pytest

from kiosk.blobs import services
from kiosk.blobs.services import Need, collect_garbage, needs, register_source, store_of
from kiosk.blobs.store import TooLarge
from kiosk.sync.nodes import add_node

CONTENT = "县民政局低保申请表".encode() * 1000
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def used(monkeypatch):
    """A source that uses CONTENT for the village 示范县/城关镇/东村 only."""
    wanted: dict[str, list[Need]] = {"示范县/城关镇/东村": [Need(SHA, len(CONTENT), "附件")]}

    def source(_session, region):
        if region is None:
            return [need for needs_ in wanted.values() for need in needs_]
        return [need for place, needs_ in wanted.items() if place.startswith(region) or
                region.startswith(place) for need in needs_]  # fmt: skip

    monkeypatch.setitem(services.SOURCES, "test", source)
    return wanted


def test_a_file_is_stored_once_whole_and_named_by_its_content(app):
    store = store_of(app)
    first = store.put(io.BytesIO(CONTENT), max_bytes=1 << 20)
    again = store.put(io.BytesIO(CONTENT), max_bytes=1 << 20)
    assert first.sha256 == again.sha256 == SHA and first.size == len(CONTENT)
    assert store.path(SHA).read_bytes() == CONTENT
    assert list(store.staging.iterdir()) == []


def test_a_file_past_the_limit_leaves_nothing(app):
    store = store_of(app)
    with pytest.raises(TooLarge, match="超过了 1 MB"):
        store.put(io.BytesIO(b"x" * ((1 << 20) + 1)), max_bytes=1 << 20)
    assert store.stored() == set() and list(store.staging.iterdir()) == []


def test_unused_files_are_collected(app, db, used):
    store = store_of(app)
    store.put(io.BytesIO(CONTENT), max_bytes=1 << 20)
    other = store.put(io.BytesIO(b"nobody uses this"), max_bytes=1 << 20)
    assert collect_garbage(db, store) == 1
    assert store.stored() == {SHA} and not store.has(other.sha256)
    used.clear()
    assert collect_garbage(db, store) == 1 and store.stored() == set()


def test_needs_merge_sources_keeping_the_most_urgent(db, monkeypatch):
    monkeypatch.setitem(services.SOURCES, "a", lambda _s, _r: [Need(SHA, 1, "甲", priority=5)])
    monkeypatch.setitem(services.SOURCES, "b", lambda _s, _r: [Need(SHA, 1, "乙", priority=1)])
    assert needs(db)[SHA].label == "乙"
    register_source("a", lambda _s, _r: [])
    assert needs(db)[SHA].label == "乙"


def _node(app, region):
    with app.extensions["kiosk_db"].session() as session:
        return add_node(session, region.rsplit("/", 1)[-1], region, actor="test")[1]


def test_a_node_downloads_only_files_its_scope_uses(app_factory, used):
    centre = app_factory(KIOSK_ROLE="central")
    store_of(centre).put(io.BytesIO(CONTENT), max_bytes=1 << 20)
    client = centre.test_client()
    village = {"Authorization": f"Bearer {_node(centre, '示范县/城关镇/东村')}"}
    elsewhere = {"Authorization": f"Bearer {_node(centre, '示范县/青山乡/西村')}"}
    with client.get(f"/api/v1/blobs/{SHA}", headers=village) as whole:
        assert whole.status_code == 200 and whole.data == CONTENT
        assert whole.headers["ETag"] == f'"{SHA}"'
    with client.get(f"/api/v1/blobs/{SHA}", headers={**village, "Range": "bytes=100-"}) as part:
        assert part.status_code == 206 and part.data == CONTENT[100:]
    assert client.get(f"/api/v1/blobs/{SHA}", headers=elsewhere).status_code == 404
    assert client.get(f"/api/v1/blobs/{SHA}").status_code == 401
    assert client.get("/api/v1/blobs/../../secret_key", headers=village).status_code == 404
