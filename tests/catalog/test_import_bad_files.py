"""Bad files: each a one-line Chinese error (sheet and row where there is one), nothing
applied, memory bounded."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from kiosk.catalog.importing.importer import ImportRejected, import_catalog
from kiosk.catalog.models import Item
from kiosk.errors import InputError
from tests.catalog.bad_files import corrupt_member, write_sheet_xml, write_zip_bomb
from tests.catalog.files import LIST_ROWS, write_list_csv, write_list_xlsx


def refused(db, path, **options) -> str:
    with pytest.raises(InputError) as caught:
        import_catalog(db, path, region="示范县", **options)
    assert not isinstance(caught.value, ImportRejected)
    assert db.scalar(select(func.count()).select_from(Item)) == 0
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_zip_bomb_is_refused_before_unpacking(db, tmp_path):
    path = write_zip_bomb(tmp_path / "bomb.xlsx", 60)
    assert path.stat().st_size < 1_000_000
    assert refused(db, path, max_mb=50) == (
        "bomb.xlsx：解压后超过 50 MB（可能是“压缩炸弹”），不予导入；真实的目录请分成几个文件导入。"
    )


def test_sheet_past_excels_row_limit(db, tmp_path):
    path = write_sheet_xml(tmp_path / "huge.xlsx", rows=1_100_000)
    assert refused(db, path) == (
        "huge.xlsx：工作表“目录”第 1048577 行超过了 Excel 的行数上限（1,048,576 行），"
        "文件不完整或不是 Excel 做的。"
    )


def test_malformed_sheet_xml(db, tmp_path):
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>事项{n}</t></is></c></row>'
        for n in range(1, 3000)
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main"><sheetData>{rows}<row r="3000"><c r="A3000" '
        't="inlineStr"><is><t>x</is></c></row>'
    )
    message = refused(db, write_sheet_xml(tmp_path / "bad.xlsx", body))
    # openpyxl reads ahead: the break is found while opening, or near the row it is in.
    assert message.startswith("bad.xlsx：") and "XML 格式错误" in message


def test_truncated_workbook(db, tmp_path):
    path = write_list_xlsx(tmp_path / "cut.xlsx")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert refused(db, path) == "cut.xlsx：文件已损坏或不完整，无法打开。"


def test_corrupt_deflate_stream(db, tmp_path):
    path = corrupt_member(write_list_xlsx(tmp_path / "flip.xlsx"), "xl/worksheets/sheet1.xml")
    assert "损坏" in refused(db, path)  # found on opening, or in the sheet


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("目录.xlsx", "序号,事项名称\n".encode(), "文件内容不是 .xlsx，而是别的文件"),
        ("目录.xls", b"PK\x03\x04" + bytes(100), "文件内容不是 .xls，而是新版 Office 文件"),
        ("目录.docx", b"%PDF-1.7\n", "文件内容不是 .docx，而是PDF 文件"),
    ],
)
def test_a_file_not_what_its_name_says(db, tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    assert says in refused(db, path)


def test_nul_bytes_in_cells_name_sheet_row_and_column(db, tmp_path):
    rows = [list(row) for row in LIST_ROWS]
    rows[0][8] = "示范县\x00民政局"
    path = write_list_csv(tmp_path / "nul.csv", "utf-8", rows)
    with pytest.raises(ImportRejected) as caught:
        import_catalog(db, path)
    assert [str(e) for e in caught.value.errors] == [
        "工作表“nul.csv”第 4 行，I 列（公开主体）：有无法保存的字符（NUL 或残缺的编码），请删掉"
    ]


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ('[{"name": "\\ud800"}]', "无效的字符"),
        ("[" * 200 + "]" * 200, "嵌套太深"),
    ],
)
def test_json_surrogates_and_depth(db, tmp_path, document, says):
    path = tmp_path / "items.json"
    path.write_text(document, encoding="utf-8")
    json.loads(document)  # Python's own reader takes these
    assert says in refused(db, path)
