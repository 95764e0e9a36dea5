"""Find a sheet's header (below any title rows, one or two rows deep) and read its columns."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from kiosk.catalog.importing.cells import clean_line
from kiosk.catalog.importing.vocabulary import (
    HEADER_FIELDS,
    IGNORED_HEADERS,
    TICK_GROUPS,
    TICK_OPTIONS,
    header_key,
    levels_in,
)

# Title rows and notes above a header are a few lines at most.
HEADER_SEARCH_ROWS = 30
MIN_HEADER_CELLS = 3
NATIONAL_TARGETS = frozenset({"item2", "item3"})


@dataclass(frozen=True)
class Column:
    index: int
    name: str  # letter (tables) or key (JSON), for messages
    label: str  # header text as written
    target: str  # element field, "item2"/"item3", "tick", "ignore", or "" (not understood)
    field: str = ""  # tick columns: the element the ticks decide
    option: str = ""  # tick columns: what a tick here means

    def describe(self) -> str:
        return f"{self.name} 列（{self.label}）" if self.name != self.label else f"“{self.label}”列"


@dataclass(frozen=True)
class Header:
    first_row: int
    last_row: int  # data starts below this row
    columns: tuple[Column, ...]

    @property
    def national(self) -> bool:
        return any(c.target in NATIONAL_TARGETS or c.target == "tick" for c in self.columns)

    def unknown(self) -> list[Column]:
        return [c for c in self.columns if not c.target and c.label]


def _is_header_word(text: str) -> bool:
    word = header_key(text)
    return bool(word) and (
        word in HEADER_FIELDS
        or word in IGNORED_HEADERS
        or word in TICK_OPTIONS
        or word in TICK_GROUPS
        or (len(word) <= 6 and levels_in(text) is not None)
    )


def _header_words(row: list[str]) -> int:
    # Distinct words: a merged title spread over every column counts once.
    return len({header_key(cell) for cell in row if _is_header_word(cell)})


def _is_sub_header(row: list[str]) -> bool:
    filled = [cell for cell in row if clean_line(cell)]
    words = _header_words(row)
    return words >= 2 and words * 2 >= len(filled)


def find_header(rows: list[list[str]], is_json: bool = False) -> Header | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _header_words(row) < MIN_HEADER_CELLS and not (is_json and index == 0):
            continue
        below = rows[index + 1] if index + 1 < len(rows) else []
        two_rows = not is_json and _is_sub_header(below)
        return Header(
            index,
            index + 1 if two_rows else index,
            tuple(_columns(row, below if two_rows else [], is_json)),
        )
    return None


def _columns(top: list[str], sub: list[str], is_json: bool) -> list[Column]:
    width = max(len(top), len(sub))
    top = [clean_line(cell) for cell in top] + [""] * (width - len(top))
    sub = [clean_line(cell) for cell in sub] + [""] * (width - len(sub))
    columns, group, seen = [], "", set()
    for index in range(width):
        upper, lower = top[index], sub[index]
        if upper:
            group = upper
        elif lower:
            # A group label written once over its sub-columns (CSV of a merged header).
            upper = group
        label, parent = (lower, upper) if lower and lower != upper else (upper, "")
        name = label if is_json else get_column_letter(index + 1)
        column = _column(index, name, label, parent)
        if column.target not in ("", "ignore", "tick"):
            if column.target in seen:  # the first column for an element wins
                column = Column(index, name, label, "")
            seen.add(column.target)
        columns.append(column)
    return columns


def _column(index: int, name: str, label: str, parent: str) -> Column:
    group = TICK_GROUPS.get(header_key(parent)) if parent else None
    if group:
        return Column(index, name, f"{parent}/{label}", "tick", group, label)
    word = header_key(label)
    if word in IGNORED_HEADERS:
        return Column(index, name, label, "ignore")
    return Column(index, name, label, HEADER_FIELDS.get(word, ""))
