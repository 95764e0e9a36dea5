"""Uploads: type by content, size limit, generated names outside the web root."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from kiosk.signage import services
from kiosk.signage.models import Media


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return out.getvalue()


def _upload(client, name: str, content: bytes):
    return client.post(
        "/admin/signage/media",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _media_dir(app) -> Path:
    return Path(app.config["KIOSK_INSTANCE_PATH"]) / "signage-media"


def _files(app) -> list[Path]:
    folder = _media_dir(app)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_image_is_stored_under_a_generated_name_and_served(signage_app, sdb, signed_in):
    manager = signed_in()
    reply = _upload(manager, "海报.png", png_bytes())
    assert "已上传 海报.png" in reply.get_data(as_text=True)
    media = sdb.query(Media).one()
    assert media.mime == "image/png" and media.original_name == "海报.png"
    [stored] = _files(signage_app)
    assert stored.name == media.stored_name and stored.name.endswith(".png")
    assert "海报" not in stored.name
    anyone = signage_app.test_client()
    # Not on any screen yet: only staff see it (preview before review).
    assert anyone.get(f"/player/media/{media.id}").status_code == 404
    with manager.get(f"/player/media/{media.id}") as served:
        assert served.status_code == 200 and served.mimetype == "image/png"
        assert served.data == png_bytes()
    playlist = services.create_playlist(sdb, "海报", "manager")
    services.add_entry(sdb, playlist, {"kind": "image", "media_id": media.id}, [], "manager")
    services.submit_for_review(sdb, playlist, 0, "http://hall", "manager")
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
    assert _files(signage_app) == []


def test_too_large_is_refused_and_nothing_is_left(signage_app, sdb, signed_in):
    signage_app.config["KIOSK_SIGNAGE_MAX_UPLOAD_MB"] = 1
    big = png_bytes() + b"\x00" * (1024 * 1024 + 1)
    reply = _upload(signed_in(), "big.png", big)
    assert "big.png：文件超过了 1 MB" in reply.get_data(as_text=True)
    assert _files(signage_app) == []
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
    [stored] = _files(signage_app)
    assert stored.parent == _media_dir(signage_app)
    assert stored.name == media.stored_name
    assert not (tmp_path / "evil.png").exists()


def test_viewer_cannot_upload(signage_app, signed_in):
    viewer = signed_in("watcher", "viewer")
    reply = viewer.post(
        "/admin/signage/media",
        data={"csrf_token": viewer.csrf, "file": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 403
    assert _files(signage_app) == []


def test_upload_needs_the_csrf_token(signage_app, signed_in):
    manager = signed_in()
    reply = manager.post(
        "/admin/signage/media",
        data={"file": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 400
    assert _files(signage_app) == []
