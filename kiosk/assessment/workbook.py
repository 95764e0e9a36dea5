"""The report as an .xlsx workbook: one sheet per view (departments, domains, searches)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from kiosk.assessment.report import Figures, Report

HEADER = (
    "名称",
    "公开事项数",
    "浏览次数",
    "评价次数",
    "满意率",
    "咨询数",
    "已答复",
    "按时答复率",
    "依申请公开数",
    "按期答复率",
)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def figures_row(row: Figures) -> list[object]:
    return [
        row.name,
        row.items,
        row.views,
        row.rated,
        _share(row.satisfaction),
        row.questions,
        row.answered,
        _share(row.questions_in_time),
        row.applications,
        _share(row.applications_share),
    ]


def report_workbook(report: Report) -> bytes:
    workbook = Workbook()
    sheets = (("按公开主体", report.departments), ("按业务领域", report.domains))
    first = True
    for title, rows in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
        first = False
        sheet.title = title
        sheet.append([f"{report.period.label}政务公开考核（{title}）"])
        sheet.append(list(HEADER))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in [*rows, report.total]:
            sheet.append(figures_row(row))
    searches = workbook.create_sheet("没有找到结果的搜索")
    searches.append(["群众搜索的词", "次数"])
    for words, count in report.unfound:
        searches.append([words, count])
    for sheet in workbook.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a department named like a formula stays text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
