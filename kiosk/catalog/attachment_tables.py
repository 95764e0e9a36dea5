"""Tables attached to items (.xlsx, .csv) read for the touch screens: the first sheet's
cell texts, streamed (openpyxl read-only, the csv module) and bounded in rows, columns and
unpacked size, so a workbook that unpacks into gigabytes is refused, not read."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kiosk.catalog.importing.tables import DELIMITERS, cell_text, decode
from kiosk.errors import InputError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
MAX_ROWS = 500  # rows a resident can page through; the rest is said to be left out
MAX_COLUMNS = 20
MAX_UNPACKED = 64 << 20  # a workbook's parts, unpacked


def read_table(path: Path, mime: str, label: str) -> tuple[list[list[str]], bool]:
    """(rows, cut): up to MAX_ROWS + 1 non-empty rows (header first); cut if there were more."""
    try:
        rows = _xlsx_rows(path, label) if mime == XLSX else _csv_rows(path, label)
    except InputError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, zlib.error):
        raise InputError(f"{label}：表格无法读取，可能已损坏。", "file") from None
    except (SyntaxError, ValueError, csv.Error):
        raise InputError(f"{label}：表格里的数据已损坏，无法读取。", "file") from None
    if not rows:
        raise InputError(f"{label}：表格是空的。", "file")
    return rows[: MAX_ROWS + 1], len(rows) > MAX_ROWS + 1


def _trimmed(values: list[str]) -> list[str] | None:
    values = [value.strip() for value in values[:MAX_COLUMNS]]
    while values and not values[-1]:
        values.pop()
    return values or None


def _xlsx_rows(path: Path, label: str) -> list[list[str]]:
    with zipfile.ZipFile(path) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise InputError(
                f"{label}：工作簿解压后超过 {MAX_UNPACKED >> 20} MB，不能作为附件显示。", "file"
            )
    # By its handle: the store names files by their hash, and openpyxl refuses a path
    # without the .xlsx ending.
    with path.open("rb") as handle:
        return _sheet_rows(handle)


def _sheet_rows(handle: BinaryIO) -> list[list[str]]:
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        rows: list[list[str]] = []
        sheet = workbook.worksheets[0]
        for raw in sheet.iter_rows(values_only=True):
            row = _trimmed([cell_text(value) for value in raw])
            if row:
                rows.append(row)
                if len(rows) > MAX_ROWS + 1:
                    break
        return rows
    finally:
        workbook.close()


def _csv_rows(path: Path, label: str) -> list[list[str]]:
    text = decode(path.read_bytes(), label)
    delimiter = max(DELIMITERS, key=text[:8192].count)
    rows: list[list[str]] = []
    for raw in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        row = _trimmed(raw)
        if row:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    return rows


def row_text(header: list[str], row: list[str]) -> str:
    """One row as it is read aloud: 姓名：张三。金额：500元。"""
    parts = []
    for index, value in enumerate(row):
        if not value:
            continue
        name = header[index] if index < len(header) and header[index] else ""
        parts.append(f"{name}：{value}" if name else value)
    return "。".join(parts) + "。"
