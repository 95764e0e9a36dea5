"""A messy county workbook for the desk: the 16-element layout with a column the importer
does not know and a 服务对象 outside the seed's list (warnings, not errors)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.catalog.files import LIST_ROWS, LIST_TOP, write_list_xlsx

EXTRA = "联系电话"
# 服务对象 is an open list: a value it does not hold is kept as written, with a warning.
AUDIENCE = "外来务工人员"


def write_messy_workbook(path: Path, rows: list[list[str]] | None = None) -> Path:
    rows = [list(row) for row in rows or LIST_ROWS]
    rows[0][LIST_TOP.index("服务对象")] = f"个人、{AUDIENCE}"
    write_list_xlsx(path, rows)
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    column = len(LIST_TOP) + 1
    sheet.cell(row=3, column=column, value=EXTRA)
    for index in range(len(rows) + 1):
        sheet.cell(row=5 + index, column=column, value="0000-1234567")
    workbook.save(path)
    return path


def with_content(number: int, content: str) -> list[list[str]]:
    """The file's rows with row `number`'s 事项内容 rewritten."""
    rows = [list(row) for row in LIST_ROWS]
    rows[number][LIST_TOP.index("事项内容")] = content
    return rows
