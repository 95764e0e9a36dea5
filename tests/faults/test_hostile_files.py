"""`kiosk catalog import` of broken files: one line on stderr, exit 1, nothing applied."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.catalog.files import LIST_ROWS, write_list_xlsx
from tests.catalog.test_catalog_cli import held
from tests.commands import kiosk

SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK = "bad.xlsx：不是能读取的 .xlsx 工作簿"
JSON = "bad.json：不是正确的 JSON（"


def _workbook(path: Path) -> Path:
    return write_list_xlsx(path, LIST_ROWS)


def _rewritten(path: Path, sheet: Callable[[bytes], bytes]) -> Path:
    """`path` with its first sheet's XML replaced by sheet(xml)."""
    source = _workbook(path.with_name("source.xlsx"))
    with zipfile.ZipFile(source) as read, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in read.infolist():
            data = read.read(info.filename)
            out.writestr(info, sheet(data) if info.filename == SHEET else data)
    return path


def malformed_xml(path: Path) -> Path:
    return _rewritten(path, lambda xml: xml[: len(xml) // 2])


def past_the_row_limit(path: Path) -> Path:
    rows = "".join(
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>x</t></is></c></row>'
        for row in (1, 1_048_577)
    )
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = f'<worksheet xmlns="{namespace}"><sheetData>{rows}</sheetData></worksheet>'
    return _rewritten(path, lambda _xml: xml.encode())


def corrupt_deflate(path: Path) -> Path:
    Workbook().save(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for at in range(start + 2, start + min(info.compress_size, 40)):
        data[at] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def deep_json(path: Path) -> Path:
    path.write_text("[" * 50_000 + "]" * 50_000)
    return path


def lone_surrogate(path: Path) -> Path:
    path.write_text('[{"事项名称": "\\ud800"}]')
    return path


def not_a_number(path: Path) -> Path:
    path.write_text('[{"事项名称": NaN}]')
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            malformed_xml,
            "bad.xlsx：工作表“目录”第 5 行附近已损坏（XML 格式错误），"
            "请用 Excel 或 WPS 打开后另存一份再导入。",
        ),
        (
            corrupt_deflate,
            "bad.xlsx：工作簿已损坏（压缩数据出错），文件可能没有完整保存或传输。",
        ),
        (
            past_the_row_limit,
            "bad.xlsx：工作表“目录”第 1048577 行超过了 Excel 的行数上限（1,048,576 行），"
            "文件不完整或不是 Excel 做的。",
        ),
        (deep_json, "bad.json：JSON 嵌套太深（最多 64 层）。"),
        (lone_surrogate, "bad.json：JSON 的文字里有无效的字符（单独的代理码位）。"),
        (not_a_number, "bad.json：JSON 里不能有 NaN（不是数字）。"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_broken_files_are_one_line_errors_and_apply_nothing(tmp_path, make, message):
    suffix = ".json" if "JSON" in message else ".xlsx"
    path = make(tmp_path / f"bad{suffix}")
    result = kiosk(tmp_path / "node", "catalog", "import", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"Error: {message}"]
    assert held(tmp_path / "node") == 0
