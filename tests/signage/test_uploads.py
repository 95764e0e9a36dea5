"""Uploads: type by content, size limit, generated names outside the web root."""

from __future__ import annotations

import hashlib
import io

import pytest

from kiosk.blobs.services import store_of
from kiosk.signage.entries import add_entry
from kiosk.signage.models import Media
from kiosk.signage.playlists import create_playlist
from kiosk.signage.publishing import submit_for_review
from tests.signage.samples import png_bytes


def _upload(client, name: str, content: bytes):
    reply = client.post(
        "/admin/signage/media",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    reply.get_data()  # read it, then close the request body (a temporary file when big)
    reply.close()
    return reply


def _files(app) -> set[str]:
    return store_of(app).stored()


def test_image_is_stored_under_a_generated_name_and_served(signage_app, sdb, signed_in):
    manager = signed_in()
    reply = _upload(manager, "海报.png", png_bytes())
    assert "已上传 海报.png" in reply.get_data(as_text=True)
    media = sdb.query(Media).one()
    assert media.mime == "image/png" and media.original_name == "海报.png"
    # Kept by content, with a thumbnail beside it; the name a person gave is only a label.
    assert _files(signage_app) == {media.sha256, media.thumbnail}
    assert media.sha256 == hashlib.sha256(png_bytes()).hexdigest()
    assert "海报" not in str(store_of(signage_app).path(media.sha256))
    anyone = signage_app.test_client()
    # Not on any screen yet: only staff see it (preview before review).
    assert anyone.get(f"/player/media/{media.id}").status_code == 404
    with manager.get(f"/player/media/{media.id}") as served:
        assert served.status_code == 200 and served.mimetype == "image/png"
        assert served.data == png_bytes()
    playlist = create_playlist(sdb, "海报", "manager")
    add_entry(sdb, playlist, {"kind": "image", "media_id": media.id}, [], "manager")
    submit_for_review(sdb, playlist, 0, "http://hall", "manager")
    sdb.commit()
    with anyone.get(f"/player/media/{media.id}") as served:
        assert served.status_code == 200 and served.data == png_bytes()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notice.png", b"<html><script>alert(1)</script></html>", "notice.png：只能上传图片"),
        ("run.jpg", b"#!/bin/sh\nrm -rf /\n", "run.jpg：只能上传图片"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 100, "archive.pdf：只能上传图片"),
        ("page.mp4", b"MZ\x90\x00" + b"\x00" * 100, "page.mp4：只能上传图片"),
        ("empty.png", b"", "empty.png：文件是空的"),
    ],
)
def test_wrong_type_disguised_by_extension_is_refused(
    signage_app, sdb, signed_in, name, content, message
):
    reply = _upload(signed_in(), name, content)
    assert message in reply.get_data(as_text=True)
    assert sdb.query(Media).count() == 0
    assert _files(signage_app) == set()


def test_too_large_is_refused_and_nothing_is_left(signage_app, sdb, signed_in):
    signage_app.config["KIOSK_SIGNAGE_MAX_UPLOAD_MB"] = 1
    big = png_bytes() + b"\x00" * (1024 * 1024 + 1)
    reply = _upload(signed_in(), "big.png", big)
    assert "big.png：文件超过了 1 MB" in reply.get_data(as_text=True)
    assert _files(signage_app) == set()
    assert sdb.query(Media).count() == 0


@pytest.mark.parametrize(
    "name",
    [
        "../../../../tmp/evil.png",
        "..\\..\\windows\\evil.png",
        "/etc/passwd",
        "a/../../b.png",
        "evil.png\x00.txt",
        "....//....//evil.png",
    ],
)
def test_path_tricks_in_the_name_do_nothing(signage_app, sdb, signed_in, name, tmp_path):
    reply = _upload(signed_in(), name, png_bytes())
    assert reply.status_code == 200
    media = sdb.query(Media).one()
    assert "/" not in media.original_name and "\\" not in media.original_name
    stored = store_of(signage_app).path(media.sha256)
    assert stored.is_file() and stored.parent.parent == store_of(signage_app).root
    assert not (tmp_path / "evil.png").exists()


def test_viewer_cannot_upload(signage_app, signed_in):
    viewer = signed_in("watcher", "viewer")
    reply = viewer.post(
        "/admin/signage/media",
        data={"csrf_token": viewer.csrf, "file": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 403
    assert _files(signage_app) == set()


def test_upload_needs_the_csrf_token(signage_app, signed_in):
    manager = signed_in()
    reply = manager.post(
        "/admin/signage/media",
        data={"file": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 400
    assert _files(signage_app) == set()
