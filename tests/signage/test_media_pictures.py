"""Names and pictures: thumbnails for images, PDFs and videos, sizes in KB/MB, PDF pages
as images and the PDF itself only as a download, decompression bombs refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kiosk.blobs.services import store_of
from kiosk.blobs.uploads import size_text
from kiosk.errors import InputError
from kiosk.signage.entries import add_entry
from kiosk.signage.media import save_upload
from kiosk.signage.models import Media
from kiosk.signage.publishing import submit_for_review
from tests.signage.conftest import make_playlist
from tests.signage.samples import bomb_png, pdf_bytes, png_bytes, video_bytes


def _upload(client, name: str, content: bytes):
    with client.post(
        "/admin/signage/media",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    ) as reply:
        return reply.status_code, reply.get_data(as_text=True)


def _picture(client, url: str) -> Image.Image:
    with client.get(url) as reply:
        assert reply.status_code == 200, url
        image = Image.open(io.BytesIO(reply.data))
        image.load()
        return image


def test_sizes_read_in_kb_and_mb():
    assert size_text(0) == "0 KB"
    assert size_text(1536) == "1.5 KB"
    assert size_text(5 * 1024 * 1024 + 100) == "5.0 MB"


def test_image_pdf_and_video_get_thumbnails_and_names(signage_app, sdb, signed_in, tmp_path):
    manager = signed_in()
    for name, content in [
        ("海报.png", png_bytes((640, 360))),
        ("办事指南.pdf", pdf_bytes(3)),
        ("政策解读.webm", video_bytes(tmp_path)),
    ]:
        status, page = _upload(manager, name, content)
        assert status == 200 and f"已上传 {name}" in page
    files = {media.original_name: media for media in sdb.query(Media)}
    assert set(files) == {"海报.png", "办事指南.pdf", "政策解读.webm"}
    page = manager.get("/admin/signage/media").get_data(as_text=True)
    for media in files.values():
        assert f"{media.original_name} 的缩略图" in page
        thumb = _picture(manager, f"/player/media/{media.id}/thumbnail")
        assert thumb.format == "JPEG" and max(thumb.size) <= 320
    assert " KB" in page and "3 页" in page
    # The PDF's pages are PNG images a screen shows; the PDF itself only downloads.
    pdf = files["办事指南.pdf"]
    assert len(pdf.pages) == 3
    first = _picture(manager, f"/player/media/{pdf.id}/page/1")
    assert first.format == "PNG" and first.size[0] == 1920
    assert manager.get(f"/player/media/{pdf.id}/page/4").status_code == 404
    with manager.get(f"/player/media/{pdf.id}") as download:
        assert download.headers["Content-Disposition"].startswith("attachment")
    # Playlists and reviews name the file of an entry without its own title.
    playlist = make_playlist(sdb, "图解", [], publish=False)
    add_entry(sdb, playlist, {"kind": "pdf", "media_id": pdf.id, "page_to": 9}, [], "manager")
    review = submit_for_review(sdb, playlist, 1, "http://hall", "manager")
    sdb.commit()
    [entry] = review.content
    assert entry["title"] == "办事指南.pdf" and entry["pages"] == [1, 3]
    listing = manager.get(f"/admin/signage/playlists/{playlist.id}").get_data(as_text=True)
    assert "办事指南.pdf" in listing and "（用内容标题）" not in listing
    desk = signed_in("checker", "hall_manager").get("/admin/reviews/").get_data(as_text=True)
    assert "PDF 页：办事指南.pdf" in desk


def test_decompression_bomb_is_refused_in_chinese(signage_app, sdb, signed_in):
    status, page = _upload(signed_in(), "炸弹.png", bomb_png())
    assert status == 400
    assert "炸弹.png：图片有 10000×10000 像素，太大了" in page
    assert sdb.query(Media).count() == 0
    assert store_of(signage_app).stored() == set()


def test_broken_pdf_is_refused(signage_app, sdb):
    store = store_of(signage_app)
    with pytest.raises(InputError, match="坏.pdf："):
        save_upload(sdb, store, io.BytesIO(b"%PDF-1.4\nnot really"), "坏.pdf", 10**6, "m")
    assert store.stored() == set()
