"""Both layouts, read from messy files in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.catalog.importing.importer import import_catalog
from kiosk.catalog.models import Item
from kiosk.regions.models import Region
from tests.catalog.files import (
    LIST_ROWS,
    NATIONAL_ROWS,
    national_three,
    write_list_csv,
    write_list_xlsx,
    write_national_csv,
    write_national_xlsx,
)


def items_by_name(db) -> dict[str, Item]:
    return {item.name: item for item in db.scalars(select(Item))}


def list_file(tmp_path: Path, kind: str) -> Path:
    if kind == "xlsx":
        return write_list_xlsx(tmp_path / "目录.xlsx")
    return write_list_csv(tmp_path / f"目录-{kind}.csv", kind)


@pytest.mark.parametrize("kind", ["xlsx", "gb18030", "utf-8-sig", "utf-8"])
def test_sixteen_element_layout_from_a_messy_file(db, tmp_path, kind):
    report = import_catalog(db, list_file(tmp_path, kind))
    db.commit()
    assert (report.rows, report.counts["added"]) == (3, 3)
    items = items_by_name(db)
    assert set(items) == {"最低生活保障 审批", "最低生活保障标准", "臨時救助申請"}
    approval = items["最低生活保障 审批"]  # full-width space and digits folded
    assert approval.time_limit == "20个工作日"
    assert approval.content == "申请条件、申请材料\n办理流程：受理、审核、审批"
    assert approval.channels == "政府网站、便民服务站"
    assert approval.online_url == "https://zwfw.example.cn/db"
    standard = items["最低生活保障标准"]
    assert standard.domain == "社会救助"  # merged (xlsx) or blank (CSV) below the first row
    assert (standard.basis, standard.publisher) == ("《社会救助暂行办法》", "示范县民政局")  # 同上
    assert (standard.disclosure_type, standard.disclosure_form) == ("决策", "主动公开")
    relief = items["臨時救助申請"]  # traditional characters kept as written, searchable too
    assert relief.content == "申請條件與材料"
    assert (relief.status, relief.item_type) == ("已公开", "行政给付")
    assert "临时救助申请" in relief.search_text
    assert {(i.level, i.region) for i in items.values()} == {("县级", "示范县")}
    assert db.scalar(select(Region.path)) == "示范县"


def test_json_with_labels_or_field_names(db, tmp_path):
    # Labels may be written in traditional characters (事項內容).
    labelled = tmp_path / "labels.json"
    labelled.write_text(
        json.dumps(
            [
                {
                    "公开类型": "服务",
                    "业务领域": "户籍管理",
                    "一级分类": "户口登记",
                    "事项名称": "出生登记",
                    "事項內容": "所需材料",
                    "公开主体": "示范县公安局",
                    "公开形式": "主动公开",
                    "公开状态": "已公开",
                    "区域": "示范县",
                    "公开渠道": ["政府网站", "两微一端"],
                },
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    named = tmp_path / "fields.json"
    named.write_text(
        json.dumps(
            {
                "items": [
                    {
                        "disclosure_type": "服务",
                        "domain": "户籍管理",
                        "category1": "户口登记",
                        "name": "死亡注销",
                        "content": "所需材料",
                        "publisher": "示范县公安局",
                        "disclosure_form": "依申请",
                        "status": "部分公开",
                        "region": "示范县/城关镇",
                    },
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert import_catalog(db, labelled).counts["added"] == 1
    assert import_catalog(db, named).counts["added"] == 1
    items = items_by_name(db)
    assert items["出生登记"].channels == "政府网站、政务新媒体"
    assert (items["死亡注销"].disclosure_form, items["死亡注销"].level) == ("依申请公开", "乡级")


@pytest.mark.parametrize("kind", ["xlsx", "gb18030"])
def test_national_layout_at_county_and_township(db, tmp_path, kind):
    path = (
        write_national_xlsx(tmp_path / "目录.xlsx", extra_sheets=1)
        if kind == "xlsx"
        else write_national_csv(tmp_path / "目录.csv", kind)
    )
    county = import_catalog(db, path, region="示范县")
    assert (county.rows, county.counts["added"], county.other_level) == (4, 3, 1)
    township = import_catalog(db, path, region="示范县/城关镇")
    assert (township.counts["added"], township.other_level) == (3, 1)
    db.commit()
    held = {(i.level, i.category1, i.name) for i in db.scalars(select(Item))}
    assert held == {
        ("县级", "最低生活保障", "政策法规文件"),
        ("县级", "最低生活保障", "办事指南"),
        ("县级", "临时救助", "临时救助"),  # an 一级事项 without 二级事项 is its own item
        ("乡级", "最低生活保障", "政策法规文件"),
        ("乡级", "最低生活保障", "办事指南"),
        ("乡级", "最低生活保障", "审批结果"),
    }
    guide = db.scalars(select(Item).where(Item.name == "办事指南", Item.level == "县级")).one()
    assert guide.domain == "社会救助"  # from the title 社会救助领域基层政务公开标准目录
    assert guide.basis == "《社会救助暂行办法》《政府信息公开条例》"  # 同上
    assert guide.time_limit == "自信息形成或者变更之日起20个工作日内"
    assert (guide.disclosure_type, guide.status) == ("服务", "已公开")  # the layout's defaults
    assert guide.audience == "全社会"
    policy = db.scalars(select(Item).where(Item.name == "政策法规文件")).first()
    # ■ chosen, □ not; 两微一端, 政务服务中心 and 村公示栏 named as the catalog names them.
    assert policy.channels == "政府网站、政务新媒体、公开查阅点、实体大厅、公开栏"
    assert policy.content == "1.法律法规\n2.部门规章"
    results = db.scalars(select(Item).where(Item.name == "审批结果")).one()
    assert (results.audience, results.disclosure_form) == ("特定群体", "主动公开")
    relief = db.scalars(select(Item).where(Item.category1 == "临时救助")).one()
    assert relief.disclosure_form == "依申请公开"


def test_national_layout_down_to_villages(db, tmp_path):
    top = [
        "序号",
        "公开事项",
        "",
        "公开内容(要素)",
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
        "新增说明",
    ]
    sub = [
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
        "乡、村级",
        "",
    ]
    rows = [
        [
            "1",
            "就业服务",
            "招聘信息",
            "岗位信息",
            "《就业促进法》",
            "实时",
            "村委会",
            "■村务公开栏 □政府网站",
            "√",
            "",
            "√",
            "",
            "",
            "√",
            "x",
        ]
    ]
    path = write_national_csv(
        tmp_path / "就业创业领域基层政务公开标准目录.csv", "utf-8-sig", rows, top, sub
    )
    report = import_catalog(db, path, region="示范县/城关镇/东村")
    item = db.scalars(select(Item)).one()
    assert (item.level, item.region, item.channels) == ("村级", "示范县/城关镇/东村", "村务公开栏")
    assert item.domain == "社会救助"  # the title row wins over the file name
    assert [column.where for column in report.ignored_columns] == [
        "工作表“就业创业领域基层政务公开标准目录.csv”，O 列（新增说明）"
    ]


@pytest.mark.parametrize(
    ("title", "domain"),
    [
        ("附件3 示范县养老服务领域基层政务公开标准目录", "养老服务"),
        ("社會救助領域基層政務公開標準目錄", "社会救助"),
        ("村级事务领域公开目录", "村级事务"),
    ],
)
def test_domain_from_the_title(db, tmp_path, title, domain):
    import_catalog(db, write_national_xlsx(tmp_path / "目录.xlsx", title=title), region="示范县")
    assert {item.domain for item in db.scalars(select(Item))} == {domain}


def test_domain_from_the_sheet_name_when_there_is_no_title(db, tmp_path):
    rows = [list(row) for row in NATIONAL_ROWS]
    rows[0][8] = "V"  # typed instead of √
    path = write_national_xlsx(tmp_path / "目录.xlsx", rows, title="", sheet_name="养老服务领域")
    import_catalog(db, path, region="示范县")
    assert {item.domain for item in db.scalars(select(Item))} == {"养老服务"}
    assert db.scalars(select(Item).where(Item.name == "政策法规文件")).one().audience == "全社会"


def test_rows_differing_only_in_name_are_two_items(db, tmp_path):
    # One item per row even when the rows share everything but the name.
    rows = [list(LIST_ROWS[0]), list(LIST_ROWS[0])]
    rows[1][5] = "另一个事项"
    report = import_catalog(db, write_list_csv(tmp_path / "two.csv", "utf-8", rows))
    assert report.counts["added"] == 2


@pytest.mark.parametrize(
    "levels", [("县级", "乡级", "村级"), ("县", "乡", "村"), ("县", "乡镇", "村（社区）")]
)
@pytest.mark.parametrize(
    ("region", "names"),
    [
        ("示范县", {"政策法规文件", "办事指南", "临时救助"}),
        ("示范县/城关镇", {"政策法规文件", "办事指南", "审批结果"}),
        ("示范县/城关镇/东村", {"审批结果"}),
    ],
)
def test_national_layout_with_three_level_columns(db, tmp_path, levels, region, names):
    top, sub, rows = national_three(levels)
    path = write_national_xlsx(tmp_path / "三级.xlsx", rows, top=top, sub=sub)
    report = import_catalog(db, path, region=region)
    assert report.counts["added"] == len(names) and report.warnings == []
    assert {item.name for item in db.scalars(select(Item))} == names
