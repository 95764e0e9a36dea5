"""Ready for a public server: caching headers and 304, robots.txt, the sitemap, stable item
addresses (410 for a removed item), the standard catalog table and its downloads."""

from __future__ import annotations

import csv
import io
import re

from defusedxml import ElementTree
from openpyxl import load_workbook
from sqlalchemy import func, select

from kiosk.catalog.models import Item
from kiosk.catalog.services import remove_item, visible_items
from kiosk.notices.models import Notice
from tests.screens.conftest import code_of

PAGES = ["/", "/browse?domain=社会救助", "/search?q=dbsq", "/catalog", "/catalog?domain=社会救助"]


def test_every_public_page_sends_cache_headers_and_answers_a_repeat_with_304(
    public_app, public_client
):
    code = code_of(public_app, "低保申请")
    with public_app.extensions["kiosk_db"].session() as session:
        notice = session.scalar(select(func.min(Notice.id)))
    for path in [*PAGES, f"/items/{code}", f"/notices/{notice}", "/replies/", "/apply/status/"]:
        first = public_client.get(path)
        assert first.status_code == 200, path
        assert first.headers["Cache-Control"] in ("public, max-age=60", "private, no-cache"), path
        etag = first.headers["ETag"]
        assert etag, path
        again = public_client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.get_data() == b""


def test_pages_without_a_form_may_be_kept_by_a_proxy_pages_with_one_only_by_the_reader(
    public_app, public_client
):
    assert public_client.get("/").headers["Cache-Control"] == "public, max-age=60"
    item = public_client.get(f"/items/{code_of(public_app, '低保申请')}")
    assert item.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in item.headers["Vary"]


def test_the_polled_emergency_is_revalidated_every_time(public_client):
    response = public_client.get("/emergency.json")
    assert response.headers["Cache-Control"] == "no-cache" and response.headers["ETag"]


def test_a_changed_item_gets_a_new_etag(public_app, public_client):
    code = code_of(public_app, "低保申请")
    before = public_client.get(f"/items/{code}").headers["ETag"]
    with public_app.extensions["kiosk_db"].session() as session:
        item = session.scalar(select(Item).where(Item.code == code))
        item.basis = "《社会救助暂行办法》第九条"
        session.commit()
    after = public_client.get(f"/items/{code}", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before


def test_a_hall_keeps_nothing(demo_app):
    response = demo_app.test_client().get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_robots_and_sitemap_list_every_public_item(public_app, public_client):
    robots = public_client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /admin/" in robots and "Disallow: /api/" in robots
    assert "Sitemap: http://localhost/sitemap.xml" in robots
    response = public_client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    tree = ElementTree.fromstring(response.get_data())
    spaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.findall("s:url/s:loc", spaces)]
    with public_app.extensions["kiosk_db"].session() as session:
        public_codes = set(session.scalars(visible_items("").with_only_columns(Item.code)))
        hidden = session.scalar(select(Item.code).where(Item.status == "涉密不予公开"))
    listed = {loc.rsplit("/items/", 1)[1] for loc in locations if "/items/" in loc}
    assert listed == public_codes
    assert hidden is None or hidden not in listed
    assert all(
        re.match(r"\d{4}-\d\d-\d\d$", m.text) for m in tree.findall("s:url/s:lastmod", spaces)
    )


def test_a_hall_is_not_a_site_for_search_engines(demo_app):
    client = demo_app.test_client()
    assert client.get("/robots.txt").get_data(as_text=True) == "User-agent: *\nDisallow: /\n"
    assert client.get("/sitemap.xml").status_code == 404


def test_a_removed_item_answers_410_with_a_link_to_its_domain(public_app, public_client):
    code = code_of(public_app, "低保申请")
    with public_app.extensions["kiosk_db"].session() as session:
        domain = session.scalar(select(Item.domain).where(Item.code == code))
        assert remove_item(session, code, actor="test")
        session.commit()
    gone = public_client.get(f"/items/{code}")
    assert gone.status_code == 410
    page = gone.get_data(as_text=True)
    assert "这个事项已不再公开" in page
    assert f'href="/browse?domain={domain}"' in page or "/browse?domain=" in page
    assert public_client.get("/items/NEVER-SEEN").status_code == 404


def test_the_catalog_table_has_the_16_elements_and_filters_by_level_and_region(
    public_app, public_client
):
    page = public_client.get("/catalog?domain=就业创业").get_data(as_text=True)
    for label in (
        "公开类型",
        "业务领域",
        "一级分类",
        "二级分类",
        "事项名称",
        "事项内容",
        "公开依据",
        "公开主体",
        "公开时限",
        "公开渠道",
        "服务对象",
        "公开形式",
        "呈现形式",
        "公开状态",
        "服务类别",
        "事项类型",
        "备注",
        "层级",
        "区域",
    ):
        assert f'<th scope="col">{label}</th>' in page
    rows = page.count("<tr><td>")
    village = public_client.get("/catalog?domain=就业创业&level=村级").get_data(as_text=True)
    east = public_client.get("/catalog?domain=就业创业&region=示范县/城关镇/东村").get_data(
        as_text=True
    )
    assert 0 < village.count("<tr><td>") < rows
    assert 0 < east.count("<tr><td>") < rows
    assert "示范县/青山乡/石桥村" not in east.split("<tbody>")[1]
    assert public_client.get("/catalog?domain=就业创业&level=省级").status_code == 404


def test_the_catalog_downloads_as_csv_and_xlsx(public_client):
    query = "domain=就业创业&level=村级"
    shown = public_client.get(f"/catalog?{query}").get_data(as_text=True).count("<tr><td>")
    text = public_client.get(f"/catalog/export.csv?{query}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:6] == ["序号", "公开类型", "业务领域", "一级分类", "二级分类", "事项名称"]
    assert len(rows) - 1 == shown and all(row[-3] == "村级" for row in rows[1:])
    response = public_client.get(f"/catalog/export.xlsx?{query}")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.max_row - 1 == shown and sheet.cell(1, 1).value == "序号"
