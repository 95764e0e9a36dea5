"""Resident pages over the demo county, through the Flask test client."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kiosk.catalog.services import upsert_item
from kiosk.outbox.models import OutboxEntry
from kiosk.usage.models import UsageEvent
from kiosk.writebehind import flush_now
from tests.conftest import csrf_token_of


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def events(app, kind: str) -> list[UsageEvent]:
    flush_now(app)  # views and searches are written behind the page
    with app.extensions["kiosk_db"].session() as session:
        return list(session.scalars(select(UsageEvent).where(UsageEvent.kind == kind)))


def test_home_shows_domains_types_notices_and_popular_items(demo_client):
    page = text_of(demo_client.get("/"))
    for domain in ("就业创业", "社会救助", "养老服务", "城市综合执法"):
        assert domain in page
    for kind in ("决策公开", "服务公开", "结果公开"):
        assert kind in page
    assert "通知公告" in page and "居民身份证跨省通办服务上线" in page
    assert "大家常看" in page


def test_village_hall_shows_its_village_affairs_and_not_other_villages(app_factory):
    app = app_factory(demo=True, KIOSK_REGION="示范县/城关镇/东村")
    page = text_of(app.test_client().get("/"))
    assert "村务公开" in page and "东村低保对象名单公示" in page
    assert "石桥村" not in page and "西村" not in page


def test_browse_goes_domain_category_subcategory_items(demo_client):
    domain = text_of(demo_client.get("/browse", query_string={"domain": "社会救助"}))
    assert "最低生活保障" in domain and "临时救助" in domain
    category = text_of(
        demo_client.get("/browse", query_string={"domain": "社会救助", "c1": "最低生活保障"})
    )
    assert "办事指南" in category and "低保标准" in category
    items = text_of(
        demo_client.get(
            "/browse", query_string={"domain": "社会救助", "c1": "最低生活保障", "c2": "办事指南"}
        )
    )
    assert "低保申请" in items
    assert 'aria-current="page">办事指南<' in items
    back = re.search(r'class="bar-button back" href="([^"]+)"', items).group(1)
    assert "c1=" in back and "c2=" not in back


def test_browse_by_disclosure_type_filters_items(demo_client):
    page = text_of(demo_client.get("/browse", query_string={"type": "决策"}))
    assert "决策公开" in page
    items = text_of(
        demo_client.get(
            "/browse",
            query_string={
                "type": "决策",
                "domain": "社会救助",
                "c1": "最低生活保障",
                "c2": "政策文件",
            },
        )
    )
    assert "最低生活保障政策文件" in items
    assert demo_client.get("/browse", query_string={"type": "胡说"}).status_code == 404


def test_item_page_tells_the_item_in_resident_order(demo_client, demo_code):
    page = text_of(demo_client.get(f"/items/{demo_code('低保申请')}"))
    order = [
        page.index(heading)
        for heading in (
            "这是什么事",
            "到哪里办",
            "找谁问",
            "要多久",
            "要带什么",
            "手机扫码继续看",
            'class="read-aloud"',
            "您对这项公开内容满意吗",
            'id="full-title"',
            "谁来办、在哪里办",
            "政策依据",
        )
    ]
    assert order == sorted(order)
    assert "示范县民政局 · 0799-8123140</dd>" in page
    assert "<li>户口簿原件及复印件</li>" in page
    assert "自受理之日起10个工作日内" in page
    assert 'src="/items/' in page and "/qr.svg" in page


def test_items_the_public_may_not_see_are_not_found(demo_client, demo_code):
    hidden = demo_code("生猪调出大县奖励资金使用情况")  # 待公开
    assert hidden and demo_client.get(f"/items/{hidden}").status_code == 404
    assert demo_client.get("/items/NO-SUCH-CODE").status_code == 404


def test_hostile_and_huge_catalog_text_renders_escaped(demo_app):
    with demo_app.extensions["kiosk_db"].session() as session:
        item, _ = upsert_item(
            session,
            {
                "disclosure_type": "服务",
                "domain": "社会救助",
                "category1": "临时救助",
                "name": '<script>alert("x")</script>救助',
                "content": "长" * 10_000 + "<img src=x>",
                "publisher": "<b>某局</b>",
                "disclosure_form": "主动公开",
                "status": "已公开",
                "level": "县级",
                "region": "示范县",
            },
            "test",
        )
        code = item.code
    page = text_of(demo_app.test_client().get(f"/items/{code}"))
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x>" not in page and "<b>某局</b>" not in page
    assert page.count("长") >= 10_000


def test_search_finds_pinyin_initials_full_pinyin_characters_and_traditional(demo_client):
    for query in ("dbsq", "dibaoshenqing", "低保申请", "低保申請"):
        page = text_of(demo_client.get("/search", query_string={"q": query}))
        assert "低保申请" in page.replace("<mark>", "").replace("</mark>", ""), query
    traditional = text_of(demo_client.get("/search", query_string={"q": "醫療保險參保"}))
    assert "城乡居民<mark>医疗保险参保</mark>登记" in traditional
    assert "城鄉居民<mark>醫療保險參保</mark>登記" in traditional  # found as the county wrote it


def test_search_ranks_names_before_content_and_pages(demo_client):
    page = text_of(demo_client.get("/search", query_string={"q": "低保"}))
    names = re.findall(r'<span class="item-name">(.*?)</span>', page)
    assert names and all("低保" in name for name in names[:3])
    first = text_of(demo_client.get("/search", query_string={"q": "申请"}))
    assert "下一页" in first
    second = text_of(demo_client.get("/search", query_string={"q": "申请", "page": 2}))
    assert "第 2 /" in second


def test_empty_search_offers_domains_and_is_recorded(demo_app, demo_client):
    page = text_of(demo_client.get("/search", query_string={"q": "火星移民"}))
    assert "没有找到" in page and "社会救助" in page and "/browse?domain=" in page
    demo_client.get("/search", query_string={"q": "dbsq"})
    recorded = {(event.query, event.hits) for event in events(demo_app, "search")}
    assert ("火星移民", 0) in recorded
    assert any(query == "dbsq" and hits >= 1 for query, hits in recorded)


def test_partial_search_returns_only_the_results(demo_client):
    response = demo_client.get(
        "/search", query_string={"q": "dbsq"}, headers={"X-Partial": "results"}
    )
    assert "<html" not in text_of(response) and "低保申请" in text_of(response)


def test_rating_is_recorded_and_queued_for_the_centre(demo_app, demo_client, demo_code):
    code = demo_code("低保申请")
    token = csrf_token_of(text_of(demo_client.get(f"/items/{code}")))
    response = demo_client.post(
        f"/items/{code}/rating", data={"rating": "满意", "csrf_token": token}, follow_redirects=True
    )
    assert "谢谢您的评价" in text_of(response)
    assert [(e.item_code, e.value) for e in events(demo_app, "rating")] == [(code, "满意")]
    with demo_app.extensions["kiosk_db"].session() as session:
        kinds = set(session.scalars(select(OutboxEntry.kind)))
    assert {"usage.rating", "usage.view"} <= kinds


def test_rating_without_csrf_token_or_with_nonsense_is_refused(demo_app, demo_client, demo_code):
    code = demo_code("低保申请")
    assert demo_client.post(f"/items/{code}/rating", data={"rating": "满意"}).status_code == 400
    token = csrf_token_of(text_of(demo_client.get(f"/items/{code}")))
    page = text_of(
        demo_client.post(
            f"/items/{code}/rating",
            data={"rating": "超级满意", "csrf_token": token},
            follow_redirects=True,
        )
    )
    assert "请选择评价" in page
    assert events(demo_app, "rating") == []


def test_question_with_phone_and_bad_phone(demo_app, demo_client, demo_code):
    code = demo_code("低保申请")
    token = csrf_token_of(text_of(demo_client.get(f"/items/{code}")))
    bad = text_of(
        demo_client.post(
            f"/items/{code}/question",
            data={"topic": "材料不清楚", "phone": "12345", "csrf_token": token},
            follow_redirects=True,
        )
    )
    assert "电话号码不对" in bad and events(demo_app, "question") == []
    good = text_of(
        demo_client.post(
            f"/items/{code}/question",
            data={"topic": "材料不清楚", "phone": "138 0013 8000", "csrf_token": token},
            follow_redirects=True,
        )
    )
    assert "您的问题已收到" in good
    assert [(e.value, e.phone) for e in events(demo_app, "question")] == [
        ("材料不清楚", "13800138000")
    ]


def test_traditional_switch_converts_text_but_keeps_links(demo_client):
    response = demo_client.get("/script/hant", query_string={"next": "/browse?domain=社会救助"})
    assert response.status_code == 302 and response.location.startswith("/browse")
    page = text_of(demo_client.get("/browse", query_string={"domain": "社会救助"}))
    assert '<html lang="zh-Hant"' in page
    assert "特困人員救助供養" in page and "特困人员救助供养" not in page
    assert "c1=%E7%89%B9%E5%9B%B0%E4%BA%BA%E5%91%98" in page  # the link keeps 特困人员
    assert "/script/hans" in page
    home = demo_client.get("/reset")
    assert "script=;" in home.headers.get("Set-Cookie", "")


def test_script_switch_never_redirects_off_site(demo_client):
    response = demo_client.get("/script/hant", query_string={"next": "//evil.example/"})
    assert response.location == "/"


def test_notices_list_and_page(demo_app, demo_client):
    listing = text_of(demo_client.get("/notices"))
    assert "关于开展最低生活保障对象年度复核工作的通知" in listing
    notice_id = re.search(r'href="/notices/(\d+)">\s*<span class="item-name">([^<]+)', listing)
    page = text_of(demo_client.get(f"/notices/{notice_id.group(1)}"))
    assert f'<h1 class="page-title">{notice_id.group(2)}</h1>' in page
    village = text_of(demo_client.get("/notices", query_string={"kind": "村务公开"}))
    assert "东村2026年第三季度村务收支公开" in village
    assert demo_client.get("/notices", query_string={"kind": "x"}).status_code == 404


def test_qr_code_is_an_svg_of_the_items_address(demo_client, demo_code):
    response = demo_client.get(f"/items/{demo_code('低保申请')}/qr.svg")
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data


def test_rating_and_question_answer_json_to_the_pages_fetch(demo_app, demo_client, demo_code):
    code = demo_code("低保申请")
    token = csrf_token_of(text_of(demo_client.get(f"/items/{code}")))
    json_only = {"Accept": "application/json"}
    rated = demo_client.post(
        f"/items/{code}/rating", data={"rating": "满意", "csrf_token": token}, headers=json_only
    )
    assert rated.status_code == 200 and rated.json == {
        "message": "谢谢您的评价！",
        "speak": "rated",
    }
    bad = demo_client.post(
        f"/items/{code}/question",
        data={"topic": "材料不清楚", "phone": "12345", "csrf_token": token},
        headers=json_only,
    )
    assert bad.status_code == 400
    assert bad.json["field"] == "phone" and "电话号码不对" in bad.json["error"]
    assert events(demo_app, "question") == []
    spoken = demo_client.get("/audio/phrase/phone")
    assert spoken.status_code == 200 and len(spoken.json["parts"]) >= 1
    assert demo_client.get("/audio/phrase/anything-else").status_code == 404
