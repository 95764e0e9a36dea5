"""Messy catalog files like counties publish them, written by the tests at test time."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

# The 16-element layout as a county survey writes it: a 序号 column, 层级分类 over the two
# category columns, header variants (公开渠道和载体, 在线地址).
LIST_TOP = [
    "序号",
    "公开类型",
    "业务领域",
    "层级分类",
    "",
    "事项名称",
    "事项内容",
    "公开依据",
    "公开主体",
    "公开时限",
    "公开渠道和载体",
    "服务对象",
    "公开形式",
    "呈现形式",
    "公开状态",
    "服务类别",
    "事项类型",
    "备注",
    "层级",
    "区域",
    "在线地址",
]
LIST_SUB = ["", "", "", "一级分类", "二级分类"] + [""] * 16
# Rows as the file holds them: 业务领域 written once (merged or blank below), 同上,
# full-width digits and spaces, variants (决策公开, 主动, 許可), traditional characters.
LIST_ROWS = [
    [
        "1",
        "服务",
        "社会救助",
        "最低生活保障",
        "低保审批",
        "最低生活保障　审批",
        "申请条件、申请材料\n办理流程：受理、审核、审批",
        "《社会救助暂行办法》",
        "示范县民政局",
        "２０个工作日",
        "政府网站、便民服务站",
        "个人",
        "主动公开",
        "图文",
        "已公开",
        "行政服务",
        "行政确认",
        "",
        "县级",
        "示范县",
        "https://zwfw.example.cn/db",
    ],
    [
        "2",
        "决策公开",
        "",
        "最低生活保障",
        "低保标准",
        "最低生活保障标准",
        "城乡低保标准及调整",
        "同上",
        "同上",
        "实时",
        "政府网站",
        "全社会",
        "主动",
        "表格",
        "已公开",
        "便民服务",
        "政策文件",
        "",
        "县级",
        "示范县",
        "",
    ],
    [
        "3",
        "服务",
        "",
        "临时救助",
        "",
        "臨時救助申請",
        "申請條件與材料",
        "",
        "示范县民政局",
        "10个工作日",
        "实体大厅",
        "个人",
        "依申请",
        "文字",
        "已公開",
        "行政服务",
        "給付",
        "繁体字保留原样",
        "县级",
        "示范县",
        "",
    ],
]


def write_list_xlsx(path: Path, rows: list[list[str]] | None = None) -> Path:
    """Title row, blank row, two-row header, 业务领域 merged down, a blank row in the data."""
    rows = LIST_ROWS if rows is None else rows
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "目录"
    sheet.append(["示范县政务公开事项目录（16要素）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LIST_TOP))
    sheet.append([])
    sheet.append(LIST_TOP)
    sheet.append(LIST_SUB)
    sheet.merge_cells("D3:E3")
    for column, label in enumerate(LIST_TOP, start=1):
        if label and column not in (4, 5):
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    first = sheet.max_row + 1
    for index, row in enumerate(rows):
        if index == 1:
            sheet.append([])  # a blank row between items
        sheet.append(row)
    # 业务领域 written once for every row (merged down column C, over the blank row too).
    sheet.merge_cells(start_row=first, start_column=3, end_row=first + len(rows), end_column=3)
    workbook.save(path)
    return path


def write_list_csv(path: Path, encoding: str, rows: list[list[str]] | None = None) -> Path:
    rows = LIST_ROWS if rows is None else rows
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["示范县政务公开事项目录"])
        writer.writerow(LIST_TOP)
        writer.writerow(LIST_SUB)
        for row in rows:
            writer.writerow(row)
            writer.writerow([""] * len(row))
    return path


NATIONAL_TOP = [
    "序号",
    "公开事项",
    "",
    "公开内容（要素）",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "",
    "公开方式",
    "",
    "公开层级",
    "",
    "备注",
]
NATIONAL_SUB = [
    "",
    "一级事项",
    "二级事项",
    "",
    "",
    "",
    "",
    "",
    "全社会",
    "特定群体",
    "主动",
    "依申请",
    "县级",
    "乡级",
    "",
]
CHANNEL_BOXES = (
    "■政府网站 □政府公报 ■两微一端 □发布会/听证会 □广播电视 □纸质媒体 "
    "■公开查阅点 ■政务服务中心 □便民服务站 □入户/现场 "
    "■社区/企事业单位/村公示栏（电子屏） □精准推送 □其他"
)
NATIONAL_ROWS = [
    [
        "1",
        "最低生活保障",
        "政策法规文件",
        "1.法律法规\n2.部门规章",
        "《社会救助暂行办法》《政府信息公开条例》",
        "自信息形成或者变更之日起20个工作日内",
        "县民政局",
        CHANNEL_BOXES,
        "√",
        "",
        "√",
        "",
        "√",
        "√",
        "",
    ],
    [
        "2",
        "",
        "办事指南",
        "申请条件、所需材料、办理流程",
        "同上",
        "同上",
        "县民政局、乡镇政府",
        "■政府网站 ■便民服务站 □其他",
        "√",
        "",
        "√",
        "",
        "√",
        "√",
        "",
    ],
    [
        "3",
        "",
        "审批结果",
        "低保对象名单",
        "《社会救助暂行办法》",
        "20个工作日",
        "乡镇政府",
        "■便民服务站 ■社区/企事业单位/村公示栏（电子屏）",
        "",
        "√",
        "√",
        "√",
        "",
        "√",
        "只在乡级",
    ],
    [
        "4",
        "临时救助",
        "",
        "救助标准",
        "《国务院关于全面建立临时救助制度的通知》",
        "实时",
        "县民政局",
        "■政府网站",
        "√",
        "",
        "",
        "√",
        "√",
        "",
        "",
    ],
]


def write_national_xlsx(
    path: Path,
    rows: list[list[str]] | None = None,
    domain: str = "社会救助",
    extra_sheets: int = 0,
    title: str | None = None,
    sheet_name: str | None = None,
    top: list[str] | None = None,
    sub: list[str] | None = None,
) -> Path:
    """One sheet per domain with the title row, the split two-row header, 一级事项 merged down.

    title "" leaves the title row out.
    """
    rows = NATIONAL_ROWS if rows is None else rows
    top, sub = top or NATIONAL_TOP, sub or NATIONAL_SUB
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name or domain
    title = f"{domain}领域基层政务公开标准目录" if title is None else title
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(top))
    first_header = sheet.max_row + 1 if title else 1
    sheet.append(top)
    sheet.append(sub)
    for row, column, end_row, end_column in header_merges(top, sub):
        sheet.merge_cells(
            start_row=first_header + row,
            start_column=column + 1,
            end_row=first_header + end_row,
            end_column=end_column + 1,
        )
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    for start, end in item_merges(rows):
        sheet.merge_cells(
            start_row=first + start, start_column=2, end_row=first + end, end_column=2
        )
    for _ in range(extra_sheets):
        workbook.create_sheet("Sheet2")  # an empty sheet left in the workbook
    workbook.save(path)
    return path


def header_merges(top: list[str], sub: list[str]) -> list[tuple[int, int, int, int]]:
    """(row, column, last row, last column), 0-based in the header: a group label over its
    sub-columns, a label without sub-columns down both header rows."""
    merges = []
    for column, label in enumerate(top):
        if not label:
            continue
        end = column
        while end + 1 < len(top) and not top[end + 1]:
            end += 1
        if end > column:
            merges.append((0, column, 0, end))
        elif not sub[column]:
            merges.append((0, column, 1, column))
    return merges


def item_merges(rows: list[list[str]]) -> list[tuple[int, int]]:
    """(first, last) data rows over which an 一级事项 is merged down (blank cells below it)."""
    starts = [i for i, row in enumerate(rows) if row[1]] + [len(rows)]
    return [
        (start, end - 1) for start, end in zip(starts, starts[1:], strict=False) if end - start > 1
    ]


# The national layout with 公开层级 in three columns, ticked ■/□, one row 同上 the one above.
def national_three(levels: tuple[str, str, str]) -> tuple[list[str], list[str], list[list[str]]]:
    top = NATIONAL_TOP[:14] + [""] + NATIONAL_TOP[14:]
    sub = NATIONAL_SUB[:12] + list(levels) + [""]
    ticks = (("■", "■", "□"), ("同上", "同上", "同上"), ("□", "■", "■"), ("■", "□", "□"))
    rows = [
        row[:12] + list(marks) + row[14:] for row, marks in zip(NATIONAL_ROWS, ticks, strict=True)
    ]
    return top, sub, rows


def write_national_csv(
    path: Path,
    encoding: str,
    rows: list[list[str]] | None = None,
    top: list[str] | None = None,
    sub: list[str] | None = None,
) -> Path:
    rows = NATIONAL_ROWS if rows is None else rows
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["社会救助领域基层政务公开标准目录"])
        writer.writerow(NATIONAL_TOP if top is None else top)
        writer.writerow(NATIONAL_SUB if sub is None else sub)
        writer.writerows(rows)
    return path
