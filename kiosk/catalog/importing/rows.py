"""Data rows of a sheet -> element values, with where each value came from.

Applies 同上 (same as the row above), fills grouping columns down, reads tick columns and
maps the national standard-catalog layout onto the item's elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kiosk.catalog.importing.cells import clean_line, clean_text, tick
from kiosk.catalog.importing.header import Column, Header, find_header
from kiosk.catalog.importing.problems import WARNING, Problem
from kiosk.catalog.importing.tables import Sheet
from kiosk.catalog.importing.vocabulary import (
    canonical_choice,
    channels_of,
    domain_in_title,
    key,
    levels_in,
)

MULTILINE = frozenset({"content", "basis", "remarks"})
# Grouping columns are written once for many rows (merged in the sheet, blank in its CSV).
FILL_DOWN = frozenset({"domain", "category1"})
# NUL and lone surrogates: no database column or page can hold them.
UNWRITABLE = re.compile("[\x00\ud800-\udfff]")
SAME_AS_ABOVE = frozenset({"同上", "同上。", "同上述"})
SAME_AS_ABOVE_LENGTH = 12  # with spaces around it
# The national layout has no column for these; a published standard catalog is public.
NATIONAL_DEFAULTS = {"disclosure_type": "服务", "status": "已公开"}


def problem(sheet: Sheet, index: int, column: Column | None, reason: str) -> Problem:
    described = column.describe() if column else ""
    return Problem(sheet.name, sheet.number(index), described, reason, unit=sheet.unit)


@dataclass
class Row:
    sheet: Sheet
    index: int  # in sheet.rows
    national: bool
    values: dict[str, str]
    sources: dict[str, Column]  # the column each value came from
    levels: list[str] | None = None  # national layout: the ticked 公开层级 (None: no column)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)  # elements with a problem reported

    @property
    def where(self) -> str:
        return f"工作表“{self.sheet.name}”{self.sheet.where(self.index)}"

    def problem(self, element: str, reason: str) -> Problem:
        self.invalid.add(element)
        return problem(self.sheet, self.index, self.sources.get(element), reason)

    def warn(self, element: str, reason: str) -> None:
        found = problem(self.sheet, self.index, self.sources.get(element), reason)
        self.warnings.append(
            Problem(found.sheet, found.row, found.column, reason, WARNING, found.unit)
        )


@dataclass
class SheetRows:
    sheet: Sheet
    header: Header | None
    rows: list[Row]
    errors: list[Problem]


def sheet_problem(sheet: Sheet, reason: str) -> Problem:
    return Problem(sheet.name, None, "", reason, unit=sheet.unit)


def read_sheet(sheet: Sheet) -> SheetRows:
    if not any(clean_line(cell) for row in sheet.rows for cell in row):
        return SheetRows(sheet, None, [], [])
    header = find_header(sheet.rows, sheet.is_json)
    if header is None:
        return SheetRows(
            sheet,
            None,
            [],
            [
                sheet_problem(
                    sheet,
                    "找不到表头（在前几行里找过“事项名称”“一级事项”“公开主体”这样的要素名称）。",
                )
            ],
        )
    # A row with nothing but grouping values is a heading or what a merged range left behind.
    used = [c for c in header.columns if c.target not in ("", "ignore", *FILL_DOWN)]
    if not used:
        return SheetRows(
            sheet,
            None,
            [],
            [sheet_problem(sheet, f"表头（{sheet.where(header.first_row)}）里没有目录的要素。")],
        )
    # The national layout names its domain in the title (or sheet name), not in a column.
    title_domain = header.national and "domain" not in {c.target for c in header.columns}
    domain = _sheet_domain(sheet, header) if title_domain else ""
    rows: list[Row] = []
    errors: list[Problem] = []
    if title_domain and not domain:
        errors.append(
            sheet_problem(
                sheet,
                "看不出是哪个业务领域；请把标题写成“XX领域基层政务公开标准目录”，"
                "或加一列“业务领域”。",
            )
        )
    previous: list[str] | None = None
    top = [clean_line(cell) for cell in sheet.rows[header.first_row]]
    width = len(header.columns)
    for index in range(header.last_row + 1, len(sheet.rows)):
        raw = sheet.rows[index] + [""] * (width - len(sheet.rows[index]))
        cleaned = [clean_line(cell) for cell in raw]
        if not any(cleaned[c.index] for c in used):
            continue
        if cleaned[: len(top)] == top:
            continue  # the header repeated (printed page breaks)
        resolved = []
        for column in header.columns:
            text = raw[column.index]
            if UNWRITABLE.search(text):
                errors.append(
                    problem(sheet, index, column, "有无法保存的字符（NUL 或残缺的编码），请删掉")
                )
                text = UNWRITABLE.sub("", text)
            # (Short cells only: comparing folds the text, too slow for every content cell.)
            if len(text) <= SAME_AS_ABOVE_LENGTH and key(text) in SAME_AS_ABOVE:
                if previous is None:
                    errors.append(problem(sheet, index, column, "写了“同上”，但上面没有行"))
                    text = ""
                else:
                    text = previous[column.index]
            elif column.target in FILL_DOWN and not clean_line(text) and previous is not None:
                text = previous[column.index]
            resolved.append(text)
        previous = resolved
        row = _row(sheet, index, header, resolved)
        if title_domain:
            row.values["domain"] = domain
            if not domain:
                row.invalid.add("domain")  # reported once for the sheet
        rows.append(row)
    return SheetRows(sheet, header, rows, errors)


def _sheet_domain(sheet: Sheet, header: Header) -> str:
    """Domain of a national-layout sheet: from a title row above the header or its name."""
    titles = [cell for row in sheet.rows[: header.first_row] for cell in row]
    for text in [*titles, sheet.name.rsplit(".", 1)[0]]:
        found = domain_in_title(text)
        if found:
            return found
    return ""


def _row(sheet: Sheet, index: int, header: Header, cells: list[str]) -> Row:
    row = Row(sheet, index, header.national, {}, {})
    ticked: dict[str, list[str]] = {}
    for column, text in zip(header.columns, cells, strict=True):
        if column.target in ("", "ignore"):
            continue
        if column.target == "tick":
            row.sources.setdefault(column.field, column)
            ticked.setdefault(column.field, [])
            mark = tick(text)
            if mark is None:
                row.invalid.add(column.field)
                row.errors.append(
                    problem(
                        sheet,
                        index,
                        column,
                        f"“{clean_line(text)}”既不是勾（√）也不是空",
                    )
                )
            elif mark:
                ticked[column.field].append(column.option)
            continue
        value = clean_text(text, column.target in MULTILINE)
        row.values[column.target] = channels_of(value) if column.target == "channels" else value
        row.sources[column.target] = column
    _apply_ticks(row, ticked)
    if header.national:
        _national(row, header)
    return row


def _apply_ticks(row: Row, ticked: dict[str, list[str]]) -> None:
    if "audience" in ticked:
        row.values["audience"] = "、".join(ticked["audience"])
    if "disclosure_form" in ticked:
        forms = [
            canonical_choice("disclosure_form", option) or option
            for option in ticked["disclosure_form"]
        ]
        # Ticked both ways: actively disclosed, which also answers any request.
        row.values["disclosure_form"] = (
            "主动公开" if "主动公开" in forms else (forms[0] if forms else "")
        )
    if "level" in ticked:
        levels: list[str] = []
        for option in ticked["level"]:
            named = levels_in(option)
            if named is None:
                row.errors.append(row.problem("level", f"看不出“{option}”是哪个层级"))
            else:
                levels.extend(named)
        row.levels = levels


def _national(row: Row, header: Header) -> None:
    values, sources = row.values, row.sources
    item2, item3 = values.pop("item2", ""), values.pop("item3", "")
    if "item3" in sources:  # three levels of items: 二级 is the sub-category, 三级 the item
        values["category2"], values["name"] = item2, item3
        sources["category2"], sources["name"] = (
            sources.pop("item2", sources["item3"]),
            sources.pop("item3"),
        )
    elif "item2" in sources:
        values["name"] = item2
        sources["name"] = sources.pop("item2")
    if not values.get("name") and values.get("category1"):
        values["name"] = values["category1"]  # an 一级事项 with no 二级事项 below it
    if row.levels is None and values.get("level"):
        row.levels = levels_in(values["level"])
        if row.levels is None:
            row.errors.append(row.problem("level", f"“{values['level']}”不是层级"))
    for element, default in NATIONAL_DEFAULTS.items():
        if not values.get(element):
            values[element] = default
