"""Write the catalog as .xlsx, .csv or .json in the 16-element layout (plus code, level,
region and online address), which the importer reads back unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.catalog.elements import ALL_ELEMENTS
from kiosk.catalog.importing.tables import EXPORT_SUFFIXES, check_suffix
from kiosk.catalog.models import Item
from kiosk.errors import InputError
from kiosk.exports import write_csv

SHEET_TITLE = "政务公开事项"


def export_catalog(session: Session, path: Path) -> int:
    """Write every item to path (format from its extension); returns the number written."""
    path = Path(path)
    suffix = check_suffix(path, EXPORT_SUFFIXES)
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}：文件夹不存在。")
    items = session.scalars(
        select(Item).order_by(
            Item.region, Item.domain, Item.category1, Item.category2, Item.name, Item.code
        )
    )
    rows = [[getattr(item, element.field) for element in ALL_ELEMENTS] for item in items]
    # Write beside the target, then rename: a failed export leaves no half-written file.
    partial = path.with_name(f".{path.name}.partial")
    try:
        {".xlsx": _xlsx, ".csv": _csv, ".json": _json}[suffix](partial, rows)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise InputError(f"{path}：无法写入（{error.strerror}）。") from None
    return len(rows)


def _xlsx(path: Path, rows: list[list[str]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = SHEET_TITLE
    sheet.append([element.label for element in ALL_ELEMENTS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
    workbook.save(path)


def _csv(path: Path, rows: list[list[str]]) -> None:
    # UTF-8 with BOM: spreadsheet programs on Chinese Windows then open it correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        write_csv(out, [element.label for element in ALL_ELEMENTS], rows)


def _json(path: Path, rows: list[list[str]]) -> None:
    items = [
        {element.field: value for element, value in zip(ALL_ELEMENTS, row, strict=True)}
        for row in rows
    ]
    path.write_text(
        json.dumps({"items": items}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
