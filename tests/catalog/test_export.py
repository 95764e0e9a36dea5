"""Export writes the 16-element layout; importing an export changes nothing."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kiosk.catalog.elements import ALL_ELEMENTS, ITEM_FIELDS
from kiosk.catalog.importing.exporter import export_catalog
from kiosk.catalog.importing.importer import import_catalog
from kiosk.catalog.models import Item
from kiosk.catalog.services import item_values, upsert_item
from kiosk.errors import InputError
from tests.catalog.files import write_list_xlsx, write_national_xlsx

SUFFIXES = [".xlsx", ".csv", ".json"]


def snapshot(db) -> dict[str, tuple]:
    db.expire_all()
    return {
        item.code: (tuple(item_values(item).values()), item.changed_at)
        for item in db.scalars(select(Item))
    }


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_export_then_import_changes_nothing(db, tmp_path, suffix):
    import_catalog(db, write_list_xlsx(tmp_path / "list.xlsx"))
    import_catalog(db, write_national_xlsx(tmp_path / "n.xlsx"), region="示范县/城关镇")
    db.commit()
    before = snapshot(db)
    path = tmp_path / f"export{suffix}"
    assert export_catalog(db, path) == len(before) == 6
    report = import_catalog(db, path)
    db.commit()
    assert +report.counts == {"unchanged": 6}
    assert snapshot(db) == before


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_demo_catalog_round_trips(demo_app, tmp_path, suffix):
    with demo_app.extensions["kiosk_db"].session() as db:
        total = export_catalog(db, tmp_path / f"demo{suffix}")
        report = import_catalog(db, tmp_path / f"demo{suffix}", dry_run=True)
    assert total >= 200
    assert +report.counts == {"unchanged": total}


def test_exported_files_use_the_element_labels(db, tmp_path):
    values = {field: "" for field in ITEM_FIELDS} | {
        "disclosure_type": "服务",
        "domain": "社会救助",
        "category1": "低保",
        "name": "=1+1",
        "content": "第一行\n第二行",
        "publisher": "民政局",
        "disclosure_form": "主动公开",
        "status": "已公开",
        "level": "县级",
        "region": "示范县",
        "code": "SB-001",
    }
    upsert_item(db, values, actor="test")
    db.commit()
    labels = [element.label for element in ALL_ELEMENTS]
    export_catalog(db, tmp_path / "a.xlsx")
    sheet = load_workbook(tmp_path / "a.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == labels
    assert rows[1][0] == "SB-001"
    assert rows[1][labels.index("事项名称")] == "=1+1"  # text, never a formula
    export_catalog(db, tmp_path / "a.csv")
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as exported:
        assert next(csv.reader(exported)) == labels
    export_catalog(db, tmp_path / "a.json")
    items = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["items"]
    assert items[0]["content"] == "第一行\n第二行"
    assert import_catalog(db, tmp_path / "a.xlsx").counts["unchanged"] == 1


def test_export_errors(db, tmp_path):
    with pytest.raises(InputError, match="不认识“.ods”这种文件"):
        export_catalog(db, tmp_path / "a.ods")
    with pytest.raises(InputError, match="文件夹不存在"):
        export_catalog(db, tmp_path / "missing" / "a.csv")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_text_that_looks_like_a_formula_is_exported_inert_and_round_trips(db, tmp_path, suffix):
    upsert_item(
        db,
        {
            "disclosure_type": "服务",
            "domain": "社会救助",
            "category1": "临时救助",
            "name": '=HYPERLINK("http://evil.example")',
            "content": "-1 元；+2 元；@某某",
            "publisher": "民政局",
            "disclosure_form": "主动公开",
            "status": "已公开",
            "level": "县级",
            "region": "示范县",
        },
        "test",
    )
    db.commit()
    before = snapshot(db)
    path = tmp_path / f"formula{suffix}"
    export_catalog(db, path)
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig") as exported:
            cells = list(csv.reader(exported))[1]
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    report = import_catalog(db, path)
    db.commit()
    assert +report.counts == {"unchanged": 1}
    assert snapshot(db) == before
