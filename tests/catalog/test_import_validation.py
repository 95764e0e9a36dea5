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
    return [str(problem) for problem in caught.value.errors]


def test_bad_enum_value_rejects_the_whole_file_naming_sheet_row_and_column(db, tmp_path):
    rows = with_cell(LIST_ROWS, 2, STATUS, "看情况")
    errors = rejected(db, write_list_xlsx(tmp_path / "bad.xlsx", rows))
    # Title row, blank row, two header rows, two items and a blank row above: row 8.
    assert errors == [
        "工作表“目录”第 8 行，O 列（公开状态）：“看情况”不是有效的公开状态，"
        "请用：已公开、待公开、部分公开、近期不公开、涉密不予公开"
    ]


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (0, FORM, "随便", "M 列（公开形式）：“随便”不是有效的公开形式"),
        (0, 15, "行政魔法", "P 列（服务类别）：“行政魔法”不是有效的服务类别"),
        (2, 8, "", "I 列（公开主体）：公开主体是必填项，不能为空"),
        (0, LEVEL, "乡级", "S 列（层级）：层级“乡级”与区域“示范县”（县级）不符"),
        (0, LEVEL, "省级", "S 列（层级）：“省级”不是有效的层级"),
        (0, REGION, "示范县/城关镇/东村/一组", "层级超过了县、乡（镇）、村三级"),
        (0, 20, "zwfw.example.cn", "“zwfw.example.cn”不是 http:// 或 https:// 开头的网址"),
        (1, 5, "最低生活保障 审批", "与工作表“目录.csv”第 4 行是同一个事项"),
    ],
)
def test_row_problems_are_named(db, tmp_path, row, column, value, message):
    rows = with_cell(LIST_ROWS, row, column, value)
    if row == 1:  # make row 2 identical in what identifies it to row 1
        rows[1][4] = rows[0][4]
    errors = rejected(db, write_list_csv(tmp_path / "目录.csv", "utf-8", rows))
    assert len(errors) == 1
    assert message in errors[0]
    assert errors[0].startswith("工作表“目录.csv”第 ")


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
        errors[0]
        == "工作表“a.csv”第 4 行，T 列（区域）：区域为空：请在文件里填写，或导入时选择区域"
    )
    import_catalog(db, tmp_path / "a.csv", region="示范县/城关镇")
    assert set(db.scalars(select(Item.level))) == {"乡级"}


def test_national_layout_needs_a_region(db, tmp_path):
    errors = rejected(db, write_national_xlsx(tmp_path / "n.xlsx"))
    assert errors == ["工作表“社会救助”：缺少必填的“区域（或在导入时选择区域）”列"]


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
        "工作表“目录.csv”：看不出是哪个业务领域；请把标题写成"
        "“XX领域基层政务公开标准目录”，或加一列“业务领域”。"
    ]


def test_national_layout_tick_cells_hold_ticks(db, tmp_path):
    rows = with_cell(NATIONAL_ROWS, 0, 10, "maybe")
    errors = rejected(db, write_national_xlsx(tmp_path / "n.xlsx", rows), region="示范县")
    assert errors == [
        "工作表“社会救助”第 4 行，K 列（公开方式/主动）：“maybe”既不是勾（√）也不是空"
    ]


def test_same_as_above_needs_a_row_above(db, tmp_path):
    rows = with_cell(NATIONAL_ROWS, 0, 4, "同上")
    errors = rejected(db, write_national_xlsx(tmp_path / "n.xlsx", rows), region="示范县")
    assert errors == ["工作表“社会救助”第 4 行，E 列（公开依据）：写了“同上”，但上面没有行"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.txt", b"", "list.txt：不认识“.txt”这种文件"),
        ("broken.xlsx", b"not a zip", "broken.xlsx：文件内容不是 .xlsx，而是别的文件"),
        ("broken.json", b"{", "broken.json：不是正确的 JSON"),
        ("scalar.json", b"3", "scalar.json：JSON 应当是事项（对象）的列表"),
        ("empty.csv", b"", "empty.csv：工作表“empty.csv”是空的"),
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
        "工作表“notes.csv”：找不到表头（在前几行里找过“事项名称”“一级事项”“公开主体”"
        "这样的要素名称）。"
    ]


def test_a_header_without_catalog_columns_is_named(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text(",".join(["序号"] * 5) + "\n编号,全社会,主动,县级\n1,√,√,√\n", encoding="utf-8")
    assert rejected(db, path) == ["工作表“other.csv”：表头（第 2 行）里没有目录的要素。"]


def test_missing_file(db, tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
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
