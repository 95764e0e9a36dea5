"""网页白名单: managed by a county admin in the admin (audit-logged), read by the entry form
and the player's frame policy; the old environment variable is read once, with a warning."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.errors import InputError
from kiosk.signage.entries import add_entry
from kiosk.signage.web_origins import allowed_origins, origin_of
from tests.signage.conftest import claimed_screen, make_playlist


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": client.csrf, **data}, follow_redirects=True)


def test_county_admin_manages_the_list_and_entries_follow_it(signage_app, sdb, signed_in):
    admin = signed_in("county", "county_admin")
    manager = signed_in("manager", "hall_manager")
    refused = manager.post(
        "/admin/signage/web-origins", data={"csrf_token": manager.csrf, "origin": "https://x.cn"}
    )
    assert refused.status_code == 403
    page = _post(admin, "/admin/signage/web-origins", origin=" https://WWW.gov.cn/ ")
    assert "已允许播放 https://www.gov.cn 的网页" in page.get_data(as_text=True)
    bad = _post(admin, "/admin/signage/web-origins", origin="https://www.gov.cn/zhengce")
    assert bad.status_code == 400 and "不带路径" in bad.get_data(as_text=True)
    assert allowed_origins(sdb) == ["https://www.gov.cn"]
    [logged] = sdb.scalars(select(AuditEntry).where(AuditEntry.action.like("signage.web_origin%")))
    assert logged.actor == "county" and logged.after == {"origin": "https://www.gov.cn"}
    playlist = make_playlist(sdb, "网页", [], publish=False)
    values = {"kind": "web", "url": "https://www.gov.cn/zhengce/"}
    add_entry(sdb, playlist, values, allowed_origins(sdb), "manager")
    with pytest.raises(InputError, match="网页白名单"):
        add_entry(sdb, playlist, {**values, "url": "https://evil.example/"}, ["x"], "manager")
    # The player may frame exactly the listed sites.
    claimed_screen(sdb, "hall")
    sdb.commit()
    csp = signage_app.test_client().get("/player/hall").headers["Content-Security-Policy"]
    assert "frame-src 'self' https://www.gov.cn;" in csp
    listing = admin.get("/admin/signage/web-origins").get_data(as_text=True)
    assert "https://www.gov.cn" in listing
    assert "只有县级管理员可以修改名单" in manager.get("/admin/signage/web-origins").get_data(
        as_text=True
    )


def test_origins_are_only_a_scheme_and_a_host():
    assert origin_of("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    for text in ["ftp://x.cn", "https://", "https://a@b.cn", "https://x.cn:port", "x.cn"]:
        with pytest.raises(InputError):
            origin_of(text)


def test_the_old_variable_is_read_once_with_a_deprecation_line(app_factory, caplog):
    with caplog.at_level(logging.WARNING, "kiosk.signage"):
        app = app_factory(KIOSK_SIGNAGE_WEB_ORIGINS="https://www.gov.cn, not a site")
    assert any("KIOSK_SIGNAGE_WEB_ORIGINS is deprecated" in r.message for r in caplog.records)
    with app.extensions["kiosk_db"].session() as session:
        assert allowed_origins(session) == ["https://www.gov.cn"]
