"""Several files dropped on the upload box at once, each with its thumbnail, and the
add-entry form showing only the fields of the chosen type."""

from __future__ import annotations

import base64

from playwright.sync_api import expect

from kiosk.serve import serve_in_thread
from kiosk.signage.models import Media
from tests.conftest import TEST_PASSWORD
from tests.signage.conftest import make_playlist
from tests.signage.samples import pdf_bytes, png_bytes, video_bytes

DROP = """(files) => {
  const transfer = new DataTransfer();
  for (const [name, data, type] of files) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, {type}));
  }
  return transfer;
}"""


def test_dropping_three_files_uploads_them_with_thumbnails(
    signage_app, sdb, users, browser, tmp_path
):
    make_playlist(sdb, "日常", [{"title": "公告甲"}], publish=False)
    sdb.commit()
    users(manager="hall_manager")
    files = [
        ("海报.png", png_bytes((800, 450), "teal"), "image/png"),
        ("办事指南.pdf", pdf_bytes(2), "application/pdf"),
        ("政策解读.webm", video_bytes(tmp_path), "video/webm"),
    ]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    with serve_in_thread(signage_app) as url:
        page.goto(f"{url}/admin/login?next=/admin/signage/media")
        page.fill("input[name=name]", "manager")
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("button[type=submit]")
        transfer = page.evaluate_handle(
            DROP, [(name, base64.b64encode(data).decode(), kind) for name, data, kind in files]
        )
        with page.expect_navigation():
            page.dispatch_event("#upload-form", "drop", {"dataTransfer": transfer})
        expect(page.locator(".flash-ok")).to_contain_text(
            "已上传 海报.png、办事指南.pdf、政策解读.webm"
        )
        for name, _data, _kind in files:
            thumb = page.get_by_role("img", name=f"{name} 的缩略图")
            expect(thumb).to_be_visible()
            assert thumb.evaluate("img => img.naturalWidth") > 0
        # The add-entry form: only the chosen type's fields.
        page.goto(f"{url}/admin/signage/playlists/1")
        form = page.locator("form.entry-form")
        form.locator("select[name=kind]").select_option("web")
        expect(form.locator("input[name=url]")).to_be_visible()
        expect(form.locator("select[name=notice_id]")).to_be_hidden()
        expect(form.locator("select[name=media_id]")).to_be_hidden()
        form.locator("select[name=kind]").select_option("pdf")
        expect(form.locator("select[name=media_id]")).to_be_visible()
        expect(form.locator("input[name=page_to]")).to_be_visible()
        expect(form.locator("input[name=url]")).to_be_hidden()
        context.close()
    assert sdb.query(Media).count() == 3
