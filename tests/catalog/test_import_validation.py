"""Every row is checked; a file with any error applies nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kiosk.catalog.importing.importer import ImportRejected, import_catalog
from kiosk.catalog.models import Item
from kiosk.errors import InputError
from tests.catalog.files import (
    LIST_ROWS,
    NATIONAL_ROWS,
    write_list_csv,
    write_list_xlsx,
    write_national_csv,
    write_national_xlsx,
)

STATUS, LEVEL, REGION, FORM = 14, 18, 19, 12  # LIST_ROWS columns


def with_cell(rows: list[list[str]], row: int, column: int, value: str) -> list[list[str]]:
    changed = [list(cells) for cells in rows]
    changed[row][column] = value
    return changed


def rejected(db, path, **options) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_catalog(db, path, **options)
    assert db.scalar(select(func.count()).select_from(Item)) == 0
    return caught.value.errors


def test_bad_enum_value_rejects_the_whole_file_naming_sheet_row_and_column(db, tmp_path):
    rows = with_cell(LIST_ROWS, 2, STATUS, "看情况")
    errors = rejected(db, write_list_xlsx(tmp_path / "bad.xlsx", rows))
    # Title row, blank row, two header rows, two items and a blank row above: row 8.
    assert errors == [
        "sheet '目录', row 8, column O (公开状态): '看情况' is not a valid 公开状态; "
        "use one of 已公开、待公开、部分公开、近期不公开、涉密不予公开"
    ]


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, FORM, "随便", "column M (公开形式): '随便' is not a valid 公开形式"),
        (0, 16, "行政魔法", "column Q (事项类型): '行政魔法' is not a valid 事项类型"),
        (2, 8, "", "column I (公开主体): 公开主体 is empty (required)"),
        (0, LEVEL, "乡级", "column S (层级): 层级 乡级 does not match 区域 示范县 (县级)"),
        (0, LEVEL, "省级", "column S (层级): '省级' is not a valid 层级"),
        (0, REGION, "示范县/城关镇/东村/一组", "层级超过了县、乡（镇）、村三级"),
        (0, 20, "zwfw.example.cn", "'zwfw.example.cn' is not an http(s) address"),
        (1, 5, "最低生活保障 审批", "the same item as sheet '目录.csv', row 4"),
    ],
)
def test_row_problems_are_named(db, tmp_path, row, column, value, message):
    rows = with_cell(LIST_ROWS, row, column, value)
    if row == 1:  # make row 2 identical in what identifies it to row 1
        rows[1][4] = rows[0][4]
    errors = rejected(db, write_list_csv(tmp_path / "目录.csv", "utf-8", rows))
    assert len(errors) == 1
    assert message in errors[0]
    assert errors[0].startswith("sheet '目录.csv', row ")


def test_variants_are_accepted_and_stored_canonically(db, tmp_path):
    rows = with_cell(with_cell(LIST_ROWS, 0, STATUS, "公开"), 0, LEVEL, "县")
    import_catalog(db, write_list_csv(tmp_path / "ok.csv", "utf-8", rows))
    item = db.scalars(select(Item).where(Item.name == "最低生活保障 审批")).one()
    assert (item.status, item.level) == ("已公开", "县级")


def test_region_comes_from_the_option_when_the_file_has_none(db, tmp_path):
    rows = [with_cell([r], 0, REGION, "")[0] for r in LIST_ROWS]
    rows = [with_cell([r], 0, LEVEL, "")[0] for r in rows]
    errors = rejected(db, write_list_csv(tmp_path / "a.csv", "utf-8", rows))
    assert (
        errors[0] == "sheet 'a.csv', row 4, column T (区域): 区域 is empty; give it in the "
        "file or with --region"
    )
    import_catalog(db, tmp_path / "a.csv", region="示范县/城关镇")
    assert set(db.scalars(select(Item.level))) == {"乡级"}


def test_national_layout_needs_a_region(db, tmp_path):
    errors = rejected(db, write_national_xlsx(tmp_path / "n.xlsx"))
    assert errors == ["sheet '社会救助': no column for 区域 (or give --region) (required)"]


def test_national_layout_needs_a_domain(db, tmp_path):
    rows = [
        [
            "1",
            "最低生活保障",
            "办事指南",
            "办理流程",
            "",
            "",
            "县民政局",
            "",
            "√",
            "",
            "√",
            "",
            "√",
            "",
            "",
        ]
    ]
    path = write_national_csv(tmp_path / "目录.csv", "utf-8", rows)
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    errors = rejected(db, path, region="示范县")
    assert errors == [
        "sheet '目录.csv': cannot tell its domain; title it "
        "'XX领域基层政务公开标准目录' or add a 业务领域 column"
    ]


def test_national_layout_tick_cells_hold_ticks(db, tmp_path):
    rows = with_cell(NATIONAL_ROWS, 0, 10, "maybe")
    errors = rejected(db, write_national_xlsx(tmp_path / "n.xlsx", rows), region="示范县")
    assert errors == [
        "sheet '社会救助', row 4, column K (公开方式/主动): 'maybe' is neither a tick (√) nor empty"
    ]


def test_same_as_above_needs_a_row_above(db, tmp_path):
    rows = with_cell(NATIONAL_ROWS, 0, 4, "同上")
    errors = rejected(db, write_national_xlsx(tmp_path / "n.xlsx", rows), region="示范县")
    assert errors == [
        "sheet '社会救助', row 4, column E (公开依据): 同上 (same as above) with no row above"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "list.xls",
            b"",
            "list.xls: unknown file type '.xls' (save it as .xlsx); use .xlsx, .csv, .json",
        ),
        ("list.txt", b"", "list.txt: unknown file type '.txt'"),
        ("broken.xlsx", b"not a zip", "broken.xlsx: not a readable .xlsx workbook"),
        ("broken.json", b"{", "broken.json: not valid JSON"),
        ("scalar.json", b"3", "scalar.json: expected a list of items"),
        ("empty.csv", b"", "empty.csv: sheet 'empty.csv' is empty"),
    ],
)
def test_unreadable_files_are_one_line_errors(db, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        import_catalog(db, path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_sheet_without_a_header_is_named(db, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("说明,无\n1,2\n", encoding="utf-8")
    assert rejected(db, path) == [
        "sheet 'notes.csv': no header row found (looked for element "
        "names such as 事项名称, 一级事项, 公开主体 in the first rows)"
    ]


def test_a_header_without_catalog_columns_is_named(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text(",".join(["序号"] * 5) + "\n编号,全社会,主动,县级\n1,√,√,√\n", encoding="utf-8")
    assert rejected(db, path) == [
        "sheet 'other.csv': the header (row 2) names no element of the catalog"
    ]


def test_missing_file(db, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_catalog(db, tmp_path / "nowhere.xlsx")


def test_workbooks_are_parsed_with_defusedxml():
    """openpyxl uses defusedxml when it is installed: entity expansion attacks fail."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_regions_the_catalog_did_not_hold_are_named_in_the_summary(db, tmp_path):
    rows = [with_cell([r], 0, REGION, "")[0] for r in LIST_ROWS]
    rows = [with_cell([r], 0, LEVEL, "")[0] for r in rows]
    path = write_list_csv(tmp_path / "a.csv", "utf-8", rows)
    dry = import_catalog(db, path, region="示范县/城关填", dry_run=True)  # a typo
    assert "new regions (would be created): 示范县/城关填" in dry.summary()
    applied = import_catalog(db, path, region="示范县/城关填")
    assert "new regions created: 示范县/城关填" in applied.summary()
    again = import_catalog(db, path, region="示范县/城关填")
    assert "new regions" not in again.summary()
