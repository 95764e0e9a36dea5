"""Read catalog files into sheets of cell texts (merged cells filled).

.csv and .json here; .xlsx in workbook.py, .xls/.docx/.doc/.wps/.et in documents.py.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from charset_normalizer import from_bytes

from kiosk.errors import InputError
from kiosk.jsonio import BadJSON, strict_loads

SUFFIXES = (".xlsx", ".xls", ".et", ".csv", ".json", ".docx", ".doc", ".wps")
EXPORT_SUFFIXES = (".xlsx", ".csv", ".json")
GB_FAMILY = ("gb2312", "gbk", "gb18030", "hz")
DELIMITERS = (",", "\t", ";")
SAMPLE_BYTES = 1 << 20


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


def check_suffix(path: Path, suffixes: tuple[str, ...] = SUFFIXES) -> str:
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise InputError(
            f"{path.name}：不认识“{suffix or '（没有扩展名）'}”这种文件；"
            f"请用 {'、'.join(suffixes)} 文件。"
        )
    return suffix


def read_text_tables(path: Path, max_mb: int) -> list[Sheet]:
    """A .csv or .json file, refused past max_mb."""
    if path.stat().st_size > max_mb * 1_000_000:
        raise InputError(f"{path.name}：文件超过 {max_mb} MB，不予导入；请分成几个文件导入。")
    return _read_csv(path) if path.suffix.lower() == ".csv" else _read_json(path)


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


def _encoding(path: Path) -> str:
    """The encoding of a text file, from its first megabyte (as decode() decides)."""
    with path.open("rb") as file:
        sample = file.read(SAMPLE_BYTES)
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    if best is None:
        raise InputError(f"{path.name}：看不出文字编码，请另存为 UTF-8 编码。")
    return "gb18030" if best.encoding in GB_FAMILY else best.encoding


def _read_csv(path: Path) -> list[Sheet]:
    """Read as a stream (a 50 MB file is never held whole as bytes and text at once)."""
    encoding = _encoding(path)
    try:
        with path.open(encoding=encoding, errors="strict", newline="") as file:
            rows = _csv_rows(path, file)
    except UnicodeDecodeError:
        # Another encoding further down than the sample: decide from the whole file.
        rows = _csv_rows(path, io.StringIO(decode(path.read_bytes(), path.name), newline=""))
    return [Sheet(path.name, rows)]


def _csv_rows(path: Path, file: TextIO) -> list[list[str]]:
    # The most frequent candidate near the top (spreadsheet programs write ',', some ';' or tab).
    sample = file.read(8192)
    file.seek(0)
    delimiter = max(DELIMITERS, key=sample.count)
    try:
        return list(csv.reader(file, delimiter=delimiter))
    except csv.Error as error:
        raise InputError(f"{path.name}：不是能读取的 CSV 文件（{error}）。") from None


def _read_json(path: Path) -> list[Sheet]:
    try:
        data = strict_loads(decode(path.read_bytes(), path.name))
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path.name}：不是正确的 JSON（第 {error.lineno} 行：{error.msg}）。"
        ) from None
    except BadJSON as error:
        raise InputError(f"{path.name}：{error}") from None
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
