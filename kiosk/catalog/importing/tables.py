"""Read .xlsx, .csv and .json files into sheets of cell texts (merged cells filled)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kiosk.errors import InputError

SUFFIXES = (".xlsx", ".csv", ".json")
GB_FAMILY = ("gb2312", "gbk", "gb18030", "hz")
DELIMITERS = (",", "\t", ";")


@dataclass
class Sheet:
    """Cell texts by row; row i is the file's row i + 1 (JSON: key row, then item i)."""

    name: str
    rows: list[list[str]]
    is_json: bool = False

    @property
    def unit(self) -> str:
        return "项" if self.is_json else "行"

    def number(self, index: int) -> int:
        return index if self.is_json else index + 1

    def where(self, index: int) -> str:
        return f"第 {self.number(index)} {self.unit}"


def check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = "（请另存为 .xlsx）" if suffix == ".xls" else ""
        raise InputError(
            f"{path.name}：不认识“{suffix or '（没有扩展名）'}”这种文件{hint}；"
            f"请用 {'、'.join(SUFFIXES)} 文件。"
        )
    return suffix


def read_tables(path: Path) -> list[Sheet]:
    suffix = check_suffix(path)
    if not path.is_file():
        raise InputError(f"{path}：文件不存在。")
    readers = {".xlsx": _read_xlsx, ".csv": _read_csv, ".json": _read_json}
    return readers[suffix](path)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat(sep=" ")
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        # Not read-only: merged ranges are only known to a fully loaded sheet.
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise InputError(f"{path.name}：不是能读取的 .xlsx 工作簿（文件可能已损坏）。") from None
    sheets = []
    for worksheet in workbook.worksheets:
        rows = [
            [cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)
        ]
        # A merged range shows its value once (top left); every cell in it means that value.
        for merged in worksheet.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for row in range(merged.min_row - 1, merged.max_row):
                for column in range(merged.min_col - 1, merged.max_col):
                    rows[row][column] = value
        sheets.append(Sheet(worksheet.title, rows))
    workbook.close()
    return sheets


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or whatever charset-normalizer finds (GB18030 mostly)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}：看不出文字编码，请另存为 UTF-8 编码。")
    # GB2312 and GBK are subsets of GB18030, which decodes what they miss.
    encoding = "gb18030" if best.encoding in GB_FAMILY else best.encoding
    return data.decode(encoding, errors="strict")


def _read_csv(path: Path) -> list[Sheet]:
    text = decode(path.read_bytes(), path.name)
    # The most frequent candidate near the top (spreadsheet programs write ',', some ';' or tab).
    sample = text[:8192]
    delimiter = max(DELIMITERS, key=sample.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError(f"{path.name}：不是能读取的 CSV 文件（{error}）。") from None
    return [Sheet(path.name, rows)]


def _read_json(path: Path) -> list[Sheet]:
    try:
        data = json.loads(decode(path.read_bytes(), path.name))
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path.name}：不是正确的 JSON（第 {error.lineno} 行：{error.msg}）。"
        ) from None
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError(f'{path.name}：JSON 应当是事项（对象）的列表，或 {{"items": [...]}}。')
    keys = list(dict.fromkeys(str(k) for item in items for k in item))
    rows = [keys] + [[_json_text(item.get(k)) for k in keys] for item in items]
    return [Sheet(path.name, rows, is_json=True)]


def _json_text(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(cell_text(part) for part in value)
    return cell_text(value)
