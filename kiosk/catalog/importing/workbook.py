"""Read an .xlsx workbook in openpyxl's streaming mode, merged cells filled, size bounded."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

from lxml.etree import XMLSyntaxError
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from kiosk.catalog.importing.packages import open_package, scan_sheet
from kiosk.catalog.importing.tables import Sheet, cell_text
from kiosk.errors import InputError

BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, OSError)


def read_xlsx(path: Path, max_mb: int) -> list[Sheet]:
    package = open_package(path, max_mb)
    handle = path.open("rb")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (ParseError, XMLSyntaxError, InvalidFileException, *BROKEN) as failure:
        handle.close()
        package.close()
        raise InputError(f"{path.name}：{_why_unreadable(failure)}") from None
    sheets = []
    try:
        for worksheet in workbook.worksheets:
            scan = scan_sheet(path, package, worksheet._worksheet_path, worksheet.title)  # noqa: SLF001
            sheets.append(_read_sheet(path, worksheet, scan.merges))
    finally:
        workbook.close()
        handle.close()
        package.close()
    return sheets


def _why_unreadable(failure: Exception) -> str:
    if isinstance(failure, ParseError | XMLSyntaxError):
        return "工作簿的 XML 格式错误（文件已损坏），请用 Excel 或 WPS 打开后另存一份再导入。"
    if isinstance(failure, zlib.error):
        return "工作簿已损坏（压缩数据出错），文件可能没有完整保存或传输。"
    return "不是能读取的 .xlsx 工作簿（文件可能已损坏）。"


def _read_sheet(path: Path, worksheet: object, merges: list[str]) -> Sheet:
    title = worksheet.title  # type: ignore[attr-defined]
    rows: list[list[str]] = []
    try:
        worksheet.reset_dimensions()  # type: ignore[attr-defined]  # a stale <dimension> cuts rows
        for row in worksheet.iter_rows(values_only=True):  # type: ignore[attr-defined]
            rows.append([cell_text(value) for value in row])
    except (ParseError, XMLSyntaxError, *BROKEN):
        raise InputError(
            f"{path.name}：工作表“{title}”第 {len(rows) + 1} 行附近已损坏（XML 格式错误），"
            "请用 Excel 或 WPS 打开后另存一份再导入。"
        ) from None
    # A merged range shows its value once (top left); every cell in it means that value.
    for merged in merges:
        min_col, min_row, max_col, max_row = range_boundaries(merged)
        if min_row > len(rows):
            continue
        value = _at(rows, min_row - 1, min_col - 1)
        for row in range(min_row - 1, min(max_row, len(rows))):
            line = rows[row]
            if len(line) < max_col:
                line.extend([""] * (max_col - len(line)))
            for column in range(min_col - 1, max_col):
                line[column] = value
    return Sheet(title, rows)


def _at(rows: list[list[str]], row: int, column: int) -> str:
    return rows[row][column] if column < len(rows[row]) else ""
