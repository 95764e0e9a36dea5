"""Resident search over the full-text index: it follows every change of the catalog."""

from kiosk.catalog.search import search
from kiosk.catalog.search_index import pairs, phrase_query
from kiosk.catalog.services import remove_item, upsert_item

ITEM = {
    "disclosure_type": "服务",
    "domain": "社会救助",
    "category1": "最低生活保障",
    "name": "低保申请",
    "content": "申请人持身份证到便民服务中心办理。",
    "publisher": "民政局",
    "disclosure_form": "主动公开",
    "status": "已公开",
    "level": "县级",
    "region": "示范县",
}


def names(session, query: str) -> list[str]:
    return [hit.item.name for hit in search(session, "", query).hits]


def test_pairs_and_phrases():
    assert pairs("低保申请 A1（第3号）") == "低保 保申 申请 a1 第3 3号"
    assert phrase_query("低保申请") == '"低保 保申 申请"'
    assert phrase_query("低") is None


def test_index_follows_add_change_and_removal(db):
    item, _ = upsert_item(db, {**ITEM, "code": "C1"}, "test")
    db.commit()
    assert names(db, "低保申请") == ["低保申请"]
    assert names(db, "便民服务") == ["低保申请"]  # content counts too
    assert names(db, "dbsq") == ["低保申请"] and names(db, "dibao") == ["低保申请"]
    upsert_item(db, {**ITEM, "code": "C1", "name": "特困供养申请"}, "test")
    db.commit()
    assert names(db, "低保") == [] and names(db, "tkgy") == ["特困供养申请"]
    remove_item(db, "C1", "test")
    db.commit()
    assert names(db, "特困") == []


def test_one_character_and_odd_queries_still_work(db):
    upsert_item(db, {**ITEM, "code": "C1"}, "test")
    db.commit()
    assert names(db, "保") == ["低保申请"]
    assert names(db, "d") == ["低保申请"]
    assert names(db, '"低保" OR *') == []  # FTS syntax in a query is only text
    assert names(db, "低保 申请") == ["低保申请"]
