"""Notices with QR codes, the emergency notice on the resident home, an address phones can
open, and browse rows that say level and region in words."""

from __future__ import annotations

import logging
import re

import pytest
from playwright.sync_api import expect

from kiosk.public_address import phones_cannot_reach
from kiosk.serve import warn_if_phones_cannot_reach
from kiosk.signage.emergency import clear_emergency, post_emergency
from tests.conftest import signed_in
from tests.screens.test_browser import decode_qr


def test_a_notice_has_a_qr_code_of_its_public_address(page, live_demo, demo_app):
    page.goto(live_demo + "/notices")
    page.locator(".item-row").first.click()
    page.wait_for_url("**/notices/*")
    alt = page.locator("img.qr").get_attribute("alt")
    assert decode_qr(page) == alt.split("：", 1)[1]
    assert decode_qr(page).endswith(page.url.removeprefix(live_demo))


def test_notice_qr_uses_the_public_url_when_set(app_factory):
    app = app_factory(demo=True, KIOSK_PUBLIC_URL="https://zwfw.shifanxian.example")
    client = app.test_client()
    page = client.get("/notices").get_data(as_text=True)
    notice = re.search(r'href="(/notices/\d+)"', page).group(1)
    shown = client.get(notice).get_data(as_text=True)
    assert f"https://zwfw.shifanxian.example{notice}" in shown
    assert client.get(notice + "/qr.svg").mimetype == "image/svg+xml"
    assert client.get("/notices/999999/qr.svg").status_code == 404


def test_the_resident_home_shows_and_clears_an_emergency_notice(page, live_demo, demo_app):
    page.goto(live_demo + "/")
    banner = page.locator("#emergency")
    expect(banner).to_be_hidden()
    with demo_app.extensions["kiosk_db"].session() as session:
        notice = post_emergency(session, "暴雨红色预警", "请勿外出，远离河道。", actor="test")
        notice_id = notice.id
        session.commit()
    expect(banner).to_be_visible(timeout=8000)
    expect(banner).to_have_attribute("role", "alert")
    expect(page.locator("#emergency-title")).to_have_text("暴雨红色预警")
    page.reload()
    expect(page.locator("#emergency-body")).to_have_text("请勿外出，远离河道。")
    with demo_app.extensions["kiosk_db"].session() as session:
        clear_emergency(session, session.get(type(notice), notice_id), "test")
        session.commit()
    expect(banner).to_be_hidden(timeout=8000)


@pytest.mark.parametrize(
    ("public_url", "host", "warned"),
    [
        ("", "127.0.0.1:8080", True),
        ("", "localhost", True),
        ("", "192.168.1.20:8080", True),
        ("", "10.0.0.5", True),
        ("", "[::1]:8080", True),
        ("", "0.0.0.0", True),  # noqa: S104 (an address named, not bound)
        ("", "hall-box.local", True),
        ("", "zwfw.shifanxian.example", False),
        ("", "8.8.8.8:8080", False),
        ("https://zwfw.shifanxian.example", "127.0.0.1:8080", False),
    ],
)
def test_phones_cannot_reach_a_loopback_or_private_address(public_url, host, warned):
    said = phones_cannot_reach(public_url, host)
    assert bool(said) is warned
    if warned:
        assert "KIOSK_PUBLIC_URL" in said and "手机" in said


def test_dashboard_and_startup_log_say_when_phones_cannot_open_the_qr_codes(app, caplog):
    client = signed_in(app, "manager")
    page = client.get("/admin/").get_data(as_text=True)
    assert "群众用手机扫码打不开" in page and "KIOSK_PUBLIC_URL" in page
    with caplog.at_level(logging.WARNING, logger="kiosk.serve"):
        warn_if_phones_cannot_reach(app, "127.0.0.1")
    assert "KIOSK_PUBLIC_URL" in caplog.text and "内网" in caplog.text


def test_dashboard_is_quiet_with_a_public_url(app_factory):
    app = app_factory(KIOSK_PUBLIC_URL="https://zwfw.shifanxian.example")
    page = signed_in(app, "manager").get("/admin/").get_data(as_text=True)
    assert "扫码打不开" not in page


def test_rows_of_one_name_say_level_and_region_in_words(demo_app):
    client = demo_app.test_client()
    page = client.get("/search", query_string={"q": "dbsq"}).get_data(as_text=True)
    assert "村级 · 东村" in page and "县级 · 示范县" in page


def test_popular_items_never_list_a_name_twice(app_factory):
    app = app_factory(demo=True)
    page = app.test_client().get("/").get_data(as_text=True)
    popular = page.split('id="popular-title"', 1)[1].split("</section>", 1)[0]
    names = re.findall(r'<span class="item-name">([^<]+)</span>', popular)
    assert names and len(names) == len(set(names))
