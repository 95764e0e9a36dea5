"""What an import found wrong or noteworthy, in a shape both the CLI and the desk show.

A Problem names where it is (sheet, row, column; each empty when it does not apply) and
why, in Chinese. Errors stop the whole file; warnings (a value outside an open list, kept
as written) are shown and the file still imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import InputError

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    sheet: str  # the sheet's name ("" for the file as a whole)
    row: int | None  # the file's row number (JSON: the item's number), None for none
    column: str  # e.g. "O 列（公开状态）", or "" for the row or sheet as a whole
    reason: str  # Chinese, for a clerk
    severity: str = ERROR  # ERROR or WARNING
    unit: str = "行"  # "行" for rows of a table, "项" for items of a JSON file

    @property
    def where(self) -> str:
        """'工作表“目录”第 8 行，O 列（公开状态）' (as much of it as is known)."""
        place = f"工作表“{self.sheet}”" if self.sheet else ""
        if self.row is not None:
            place += f"第 {self.row} {self.unit}"
        if self.column:
            place += f"，{self.column}" if place else self.column
        return place

    def __str__(self) -> str:
        return f"{self.where}：{self.reason}" if self.where else self.reason

    def as_dict(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
            "severity": self.severity,
            "unit": self.unit,
            "text": str(self),
        }


class ImportRejected(InputError):
    """The file has errors; nothing was applied. `errors` names sheet, row and column;
    `warnings` are those found on the way (shown beside the errors by the desk)."""

    def __init__(self, name: str, errors: list[Problem], warnings: list[Problem] | None = None):
        super().__init__(f"{name}：有 {len(errors)} 处错误，整个文件都没有导入。")
        self.errors = errors
        self.warnings = warnings or []
