"""CSV files for staff: one formula guard and one download answer for every export.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a
formula, so such text is written after an apostrophe (OWASP's advice); the catalog importer
takes the apostrophe off again. Files are UTF-8 with a BOM, so Excel on a Chinese Windows PC
opens them right.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TextIO
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Row = Sequence[object]


def csv_safe(cell: object) -> str:
    """A cell as text a spreadsheet shows and never runs; None is an empty cell."""
    if cell is None:
        return ""
    if isinstance(cell, int | float):
        return str(cell)  # numbers are ours, never a formula (a minus sign is a sign)
    text = str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def without_formula_guard(text: str) -> str:
    """A cell read back from an exported file, as it was before `csv_safe`."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def write_csv(out: TextIO, header: Row, rows: Iterable[Row]) -> None:
    writer = csv.writer(out)
    writer.writerow([csv_safe(cell) for cell in header])
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)


def csv_download(filename: str, header: Row, rows: Iterable[Row]) -> Response:
    """The rows as a CSV attachment named `filename` (Chinese names are fine)."""
    out = io.StringIO()
    out.write(BOM)
    write_csv(out, header, rows)
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = attachment(filename)
    return response


def xlsx_download(filename: str, sheet_title: str, header: Row, rows: Iterable[Row]) -> Response:
    """The rows as an .xlsx attachment (written streaming; formula-like text stays text)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(list(header))
    for row in rows:
        sheet.append([csv_safe(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    response = Response(out.getvalue(), mimetype=XLSX)
    response.headers["Content-Disposition"] = attachment(filename)
    return response


def attachment(filename: str) -> str:
    if filename.isascii():
        return f'attachment; filename="{filename}"'
    # RFC 6266: an ASCII stand-in for old clients, the real name for everyone else.
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
