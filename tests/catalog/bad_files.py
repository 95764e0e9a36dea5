"""Hostile and broken workbooks, written by streaming into a zip (never through openpyxl)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org'
    '/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006'
    '/relationships"><sheets><sheet name="目录" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org'
    '/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
HEADER = ("事项名称", "公开主体", "公开状态")


def _row(number: int, texts: tuple[str, ...]) -> str:
    cells = "".join(
        f'<c r="{"ABC"[i]}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


@contextmanager
def _one_sheet_workbook(path: Path) -> Iterator[IO[bytes]]:
    """A workbook of one sheet, whose XML the caller streams into what this yields."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        package.writestr("xl/workbook.xml", WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            yield sheet


def write_sheet_xml(path: Path, body: str | None = None, rows: int = 0) -> Path:
    """A workbook whose one sheet is `body` (raw XML) or `rows` short rows under a header."""
    with _one_sheet_workbook(path) as sheet:
        if body is not None:
            sheet.write(body.encode())
            return path
        sheet.write((SHEET_START + _row(1, HEADER)).encode())
        batch = []
        for number in range(2, rows + 2):
            batch.append(f'<row r="{number}"><c r="A{number}"><v>{number}</v></c></row>')
            if len(batch) == 10_000:
                sheet.write("".join(batch).encode())
                batch = []
        sheet.write(("".join(batch) + SHEET_END).encode())
    return path


def write_zip_bomb(path: Path, megabytes: int) -> Path:
    """An .xlsx whose sheet unpacks to `megabytes` of blanks (a few hundred KB packed)."""
    with _one_sheet_workbook(path) as sheet:
        sheet.write(SHEET_START.encode())
        blanks = b" " * 1_000_000
        for _ in range(megabytes):
            sheet.write(blanks)
        sheet.write(SHEET_END.encode())
    return path


def corrupt_member(path: Path, member: str) -> Path:
    """Overwrite the middle of one member's compressed bytes."""
    with zipfile.ZipFile(path) as package:
        info = package.getinfo(member)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    return path
