import pytest
from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.catalog.models import Item
from kiosk.catalog.services import derive_code, get_visible_item, upsert_item, visible_items
from kiosk.errors import InputError
from kiosk.regions.services import ensure_region, level_of, lineage, normalise_path

BASE_ITEM = {
    "disclosure_type": "服务",
    "domain": "社会救助",
    "category1": "最低生活保障",
    "category2": "低保对象认定",
    "name": "最低生活保障对象认定",
    "content": "申请条件、申请材料、办理流程。",
    "publisher": "示范县民政局社会救助股",
    "disclosure_form": "主动公开",
    "status": "已公开",
    "level": "县级",
    "region": "示范县",
}


def test_regions_are_created_with_their_parents(db):
    village = ensure_region(db, "示范县 / 城关镇 / 东村")
    db.commit()
    assert village.path == "示范县/城关镇/东村"
    assert village.parent.path == "示范县/城关镇"
    assert village.parent.parent.level == "县级"
    assert village.level == "村级"
    assert lineage("示范县/城关镇/东村") == ["示范县", "示范县/城关镇", "示范县/城关镇/东村"]
    assert level_of("示范县/城关镇") == "乡级"


def test_item_without_code_gets_a_stable_derived_one(db):
    item, outcome = upsert_item(db, BASE_ITEM, actor="test")
    db.commit()
    assert outcome == "added"
    assert item.code == derive_code(BASE_ITEM)
    # Traditional characters identify the same item.
    traditional = dict(BASE_ITEM, name="最低生活保障對象認定", category2="低保對象認定")
    assert derive_code(traditional) == item.code


def test_same_values_change_nothing_and_changes_record_before_after(db):
    item, _ = upsert_item(db, BASE_ITEM, actor="test")
    db.commit()
    first_change = item.changed_at
    _, outcome = upsert_item(db, BASE_ITEM, actor="test")
    assert outcome == "unchanged"
    _, outcome = upsert_item(db, dict(BASE_ITEM, content="新的内容"), actor="importer")
    db.commit()
    assert outcome == "updated"
    assert item.changed_at > first_change
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "item.update")).one()
    assert entry.actor == "importer"
    assert entry.before == {"content": "申请条件、申请材料、办理流程。"}
    assert entry.after == {"content": "新的内容"}


def test_search_forms_hold_simplified_text_and_pinyin(db):
    item, _ = upsert_item(db, dict(BASE_ITEM, name="低保申請"), actor="test")
    assert "低保申请" in item.search_text
    assert item.search_pinyin.startswith("dbsq ")
    assert "dibaoshenqing" in item.search_pinyin


def test_halls_see_public_items_of_their_region_and_above(db):
    rows = [
        ("县级", "示范县", "已公开", "县事项"),
        ("乡级", "示范县/城关镇", "部分公开", "镇事项"),
        ("村级", "示范县/城关镇/东村", "已公开", "东村事项"),
        ("村级", "示范县/城关镇/西村", "已公开", "西村事项"),
        ("县级", "示范县", "涉密不予公开", "涉密事项"),
        ("县级", "示范县", "待公开", "待公开事项"),
    ]
    for level, region, status, name in rows:
        upsert_item(
            db, dict(BASE_ITEM, level=level, region=region, status=status, name=name), actor="test"
        )
    db.commit()
    names = {item.name for item in db.scalars(visible_items("示范县/城关镇/东村"))}
    assert names == {"县事项", "镇事项", "东村事项"}
    everything = {item.name for item in db.scalars(visible_items(""))}
    assert everything == {"县事项", "镇事项", "东村事项", "西村事项"}
    secret = db.scalars(select(Item).where(Item.name == "涉密事项")).one()
    assert get_visible_item(db, secret.code) is None


@pytest.mark.parametrize(
    "path", ["../../etc", "示范县/../东村", "示范县/./东村", "示范县/\x00东村"]
)
def test_region_paths_that_are_not_places_are_refused(path):
    with pytest.raises(InputError, match="不是区域的写法"):
        normalise_path(path)
