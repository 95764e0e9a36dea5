"""Seed 000 attachment 2 is the vocabulary: every value it lists imports without a word;
open lists keep other values with a warning, strict ones refuse them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.catalog.elements import ITEM_TYPES
from kiosk.catalog.importing.importer import ImportRejected, import_catalog, preview_import
from kiosk.catalog.importing.problems import WARNING, Problem
from kiosk.catalog.models import Item
from tests.catalog.files import LIST_ROWS, write_list_xlsx

# Each list exactly as the seed writes it (attachment 2, 要素描述), with the catalog's form
# of the value where the seed's differs (channels are mapped onto the catalog's names).
SEED = {
    1: ("决策", "执行", "管理", "服务", "结果"),  # 公开类型
    10: (  # 公开渠道
        "政府网站常规公开",
        "专题专栏",
        "新媒体",
        "广播电视",
        "报纸",
        "(电子)公告栏",
        "实体大厅",
        "便民服务站(中心)",
    ),
    11: ("企业", "个人", "企业/个人", "行政机关", "事业单位"),  # 服务对象
    12: ("主动公开", "依申请公开"),  # 公开形式
    13: ("信息图", "视频", "表格", "图文", "文字", "宣传册", "艺术表演"),  # 呈现形式
    14: ("已公开", "待公开", "部分公开", "近期不公开", "涉密不予公开"),  # 公开状态
    15: ("行政服务", "便民服务", "日常工作"),  # 服务类别
    # 事项类型: elements.py lists the seed's 17 first, in its order.
    16: ITEM_TYPES[: ITEM_TYPES.index("服务链接") + 1],
}
CHANNEL_NAMES = {
    "政府网站常规公开": "政府网站",
    "新媒体": "政务新媒体",
    "报纸": "纸质媒体",
    "(电子)公告栏": "电子公告栏",
    "便民服务站(中心)": "便民服务站",
}


def seed_rows() -> list[list[str]]:
    rows = []
    for number in range(max(len(values) for values in SEED.values())):
        row = list(LIST_ROWS[0])
        row[5] = f"事项{number}"
        for column, values in SEED.items():
            row[column] = values[number % len(values)]
        rows.append(row)
    return rows


def test_every_seed_value_imports_without_a_warning(db, tmp_path):
    report = import_catalog(db, write_list_xlsx(tmp_path / "seed.xlsx", seed_rows()))
    assert report.warnings == []
    assert report.counts["added"] == 17
    items = {item.name: item for item in db.scalars(select(Item))}
    for number, row in enumerate(seed_rows()):
        item = items[f"事项{number}"]
        assert item.item_type == row[16]
        assert (item.audience, item.presentation, item.service_category) == (
            row[11],
            row[13],
            row[15],
        )
        assert item.channels == CHANNEL_NAMES.get(row[10], row[10])


@pytest.mark.parametrize(
    ("column", "value", "label"),
    [
        (16, "便民小贴士", "事项类型"),
        (11, "外国人", "服务对象"),
        (13, "沙画", "呈现形式"),
        (10, "村口大喇叭", "公开渠道"),
    ],
)
def test_open_lists_keep_other_values_with_a_warning(db, tmp_path, column, value, label):
    rows = [list(row) for row in LIST_ROWS]
    rows[0][column] = value
    preview = preview_import(db, write_list_xlsx(tmp_path / "open.xlsx", rows))
    letter = "ABCDEFGHIJKLMNOPQRSTU"[column]
    assert preview.warnings == [
        Problem(
            "目录",
            5,
            f"{letter} 列（{label if column != 10 else '公开渠道和载体'}）",
            f"“{value}”不在{label}的参考值里，已按原样保留",
            WARNING,
        )
    ]
    report = import_catalog(db, write_list_xlsx(tmp_path / "open.xlsx", rows))
    assert report.counts["added"] == 3
    assert f"warning: 工作表“目录”第 5 行，{letter} 列" in report.summary()
    field = {16: "item_type", 11: "audience", 13: "presentation", 10: "channels"}[column]
    kept = db.scalar(select(Item).where(Item.name == "最低生活保障 审批"))
    assert value in getattr(kept, field)


@pytest.mark.parametrize(
    ("column", "value"),
    [(1, "宣传"), (12, "内部公开"), (14, "已撤回"), (18, "省级")],
)
def test_strict_elements_refuse_other_values(db, tmp_path, column, value):
    rows = [list(row) for row in LIST_ROWS]
    rows[0][column] = value
    with pytest.raises(ImportRejected) as caught:
        preview_import(db, write_list_xlsx(tmp_path / "strict.xlsx", rows))
    (error,) = caught.value.errors
    assert (error.sheet, error.row, error.severity) == ("目录", 5, "error")
    assert error.reason.startswith(f"“{value}”不是有效的")
