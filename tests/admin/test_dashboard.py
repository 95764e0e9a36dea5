"""The first admin page says whether the hall works: catalog, screens, broadcast, searches."""

from kiosk.usage.services import record_search
from tests.conftest import signed_in


def test_dashboard_summarises_the_hall(app_factory):
    app = app_factory(demo=True, KIOSK_CENTRAL_URL="http://127.0.0.1:9")
    with app.extensions["kiosk_db"].session() as session:
        record_search(session, "火星", 0)
        record_search(session, "低保", 5)
    client = signed_in(app, "viewer1", "viewer")
    page = client.get("/admin/").get_data(as_text=True)
    assert "<strong>255</strong> 项事项可供群众查看" in page  # 已公开 and 部分公开 only
    assert "块屏幕在线" in page and "还没有广播记录" in page
    assert "近7天搜索 <strong>2</strong> 次，其中 <strong>1</strong> 次没有找到结果" in page
    assert "目录版本 0" in page  # a hall that syncs shows its sync status


def test_dashboard_of_a_stand_alone_hall_says_it_does_not_sync(app_factory):
    app = app_factory(demo=True)
    client = signed_in(app, "viewer1", "viewer")
    page = client.get("/admin/").get_data(as_text=True)
    assert "未设置县级目录中心" in page and "目录版本" not in page
