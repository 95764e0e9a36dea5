"""Old Excel (.xls via xlrd), Word tables (.docx via python-docx), and WPS/old Office files
(.doc, .wps, .et) converted by LibreOffice headless first; and the dispatch by extension."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import xlrd
from docx.oxml.ns import qn
from docx.table import Table, _Cell

from kiosk.catalog.importing.packages import DEFAULT_MAX_MB, check_kind, open_package
from kiosk.catalog.importing.tables import Sheet, cell_text, check_suffix, read_text_tables
from kiosk.catalog.importing.workbook import BROKEN, read_xlsx
from kiosk.errors import InputError

# What LibreOffice turns each kind into: then read as that kind.
CONVERTED = {".doc": "docx", ".wps": "docx", ".et": "xlsx"}
SOFFICE_SECONDS = 180


def read_tables(path: Path, max_mb: int = DEFAULT_MAX_MB) -> list[Sheet]:
    suffix = check_suffix(path)
    if not path.is_file():
        raise InputError(f"{path}：文件不存在。")
    check_kind(path)
    if suffix in CONVERTED:
        with tempfile.TemporaryDirectory(prefix="kiosk-convert-") as folder:
            converted = convert(path, CONVERTED[suffix], Path(folder))
            sheets = read_tables(converted, max_mb)
        return [
            Sheet(sheet.name.replace(converted.stem, path.stem), sheet.rows) for sheet in sheets
        ]
    if suffix == ".xlsx":
        return read_xlsx(path, max_mb)
    if suffix == ".xls":
        return read_xls(path, max_mb)
    if suffix == ".docx":
        return read_docx(path, max_mb)
    return read_text_tables(path, max_mb)


def convert(path: Path, kind: str, folder: Path) -> Path:
    """path converted by LibreOffice headless into folder as .kind."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(
            f"{path.name}：要导入 {path.suffix.lower()} 文件，服务器上需要安装 LibreOffice"
            "（Debian 软件包 libreoffice-writer-nogui 和 libreoffice-calc-nogui）；"
            f"也可以先另存为 .{kind} 再导入。"
        )
    source = folder / f"source{path.suffix.lower()}"
    shutil.copyfile(path, source)
    profile = folder / "profile"  # its own profile: conversions may run side by side
    try:
        subprocess.run(  # noqa: S603 - fixed arguments, the file is a copy with a fixed name
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                kind,
                "--outdir",
                str(folder),
                str(source),
            ],
            check=False,
            capture_output=True,
            timeout=SOFFICE_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise InputError(f"{path.name}：LibreOffice 转换超时，文件可能已损坏。") from None
    converted = folder / f"source.{kind}"
    if not converted.is_file():
        raise InputError(f"{path.name}：LibreOffice 无法转换这个文件，文件可能已损坏。")
    return converted


def read_xls(path: Path, max_mb: int) -> list[Sheet]:
    if path.stat().st_size > max_mb * 1_000_000:
        raise InputError(f"{path.name}：文件超过 {max_mb} MB，不予导入；请分成几个文件导入。")
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, AssertionError, IndexError, *BROKEN):
        raise InputError(f"{path.name}：不是能读取的 .xls 工作簿（文件可能已损坏）。") from None
    sheets = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = [
                [_xls_value(book, sheet.cell(r, c)) for c in range(sheet.row_len(r))]
                for r in range(sheet.nrows)
            ]
            for first_row, end_row, first_col, end_col in sheet.merged_cells:
                value = _at(rows, first_row, first_col)
                for r in range(first_row, min(end_row, len(rows))):
                    line = rows[r]
                    line.extend([""] * (end_col - len(line)))
                    for c in range(first_col, end_col):
                        line[c] = value
            sheets.append(Sheet(sheet.name, rows))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets


def _xls_value(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return cell_text(cell.value)


def _at(rows: list[list[str]], row: int, column: int) -> str:
    return rows[row][column] if row < len(rows) and column < len(rows[row]) else ""


def read_docx(path: Path, max_mb: int) -> list[Sheet]:
    """Every table of the document; each named by the paragraph above it (its title)."""
    open_package(path, max_mb).close()  # refuses a bomb before python-docx unpacks it
    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds for a broken file
        raise InputError(f"{path.name}：不是能读取的 .docx 文档（文件可能已损坏）。") from None
    sheets, title, number = [], "", 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = "".join(node.text or "" for node in element.iter(qn("w:t"))).strip()
            if text:
                title = text
        elif element.tag == qn("w:tbl"):
            number += 1
            rows = _table_rows(Table(element, document))
            name = f"表{number}（{title}）" if title else f"表{number}"
            sheets.append(Sheet(name, rows))
            title = ""
    if not sheets:
        raise InputError(f"{path.name}：文档里没有表格；目录要写在 Word 的表格里。")
    return sheets


def _table_rows(table: Table) -> list[list[str]]:
    """Cell texts by row, a merged cell in every column and row it covers.

    The columns are those of the row with the most cells (the sub-header or a data row).
    Word's grid is not trusted to line up between rows (LibreOffice splits it into slivers
    when widths differ): a row with fewer cells, such as a header with groups spanning
    several columns, gives each column the cell over that column's middle. A cell merged
    down (vMerge continue) repeats the text above it.
    """
    rows = [
        [(tc.grid_span, tc.vMerge, _Cell(tc, table).text) for tc in tr.tc_lst]
        for tr in table._tbl.tr_lst
    ]  # noqa: SLF001
    widest = max(rows, key=len, default=[])
    middles, start = [], 0
    for span, _merge, _text in widest:
        middles.append(start + span / 2)
        start += span
    out: list[list[str]] = []
    for cells in rows:
        if len(cells) == len(widest):
            chosen = cells
        else:
            edges, start = [], 0
            for span, _merge, _text in cells:
                edges.append((start, start + span))
                start += span
            chosen = [
                next(
                    (cell for cell, (a, b) in zip(cells, edges, strict=True) if a <= m < b),
                    (1, None, ""),
                )
                for m in middles
            ]
        line = []
        for column, (_span, merge, text) in enumerate(chosen):
            if merge == "continue" and out:
                text = out[-1][column]
            line.append(text)
        out.append(line)
    return out
