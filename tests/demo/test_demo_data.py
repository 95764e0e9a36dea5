"""The demo county is big and varied enough to show every feature on a fresh node."""

from collections import Counter

from sqlalchemy import func, select

from kiosk.catalog.elements import LEVELS, PILOT_DOMAINS, STATUSES
from kiosk.catalog.models import Item
from kiosk.demo import load_demo
from kiosk.notices.models import Notice
from kiosk.regions.services import level_of


def test_demo_covers_pilot_domains_statuses_and_levels(demo_app):
    with demo_app.extensions["kiosk_db"].session() as session:
        items = list(session.scalars(select(Item)))
    assert len(items) >= 200
    per_domain = Counter(item.domain for item in items)
    assert set(per_domain) == set(PILOT_DOMAINS)
    assert min(per_domain.values()) >= 20
    assert {item.status for item in items} == set(STATUSES)
    assert {item.level for item in items} == set(LEVELS)
    assert all(item.level == level_of(item.region) for item in items)
    names = {item.name for item in items}
    assert {"低保申请", "最低生活保障对象认定", "失业保险待遇发放标准"} <= names
    assert any("醫療" in name for name in names), "a county wrote some items in traditional"


def test_demo_has_notices_and_village_affairs(demo_app):
    with demo_app.extensions["kiosk_db"].session() as session:
        kinds = Counter(session.scalars(select(Notice.kind)))
    assert sum(kinds.values()) >= 12
    assert kinds["村务公开"] >= 3


def test_reloading_the_demo_adds_nothing(demo_app):
    database = demo_app.extensions["kiosk_db"]
    with database.session() as session:
        before = session.scalar(select(func.count()).select_from(Notice))
        summary = load_demo(session)
    assert "0 added" in summary and "0 notices added" in summary
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == before
