"""The catalog's elements: field names, Chinese labels and the enumerated values.

Seed 000 attachment 2 defines 16 elements and lists the values of the enumerated ones; a
deployment adds code, level, region, online address and change time. Everything that needs
the list (import, export, validation, templates) reads it from here.

The seed ends the lists of 公开渠道, 服务对象, 呈现形式 and 事项类型 with 等 ("and so on"):
those are open (`Element.open`), a value outside the list is kept as written and reported
as a warning. The elements that decide what is disclosed, to whom and where (公开类型,
公开形式, 公开状态, 层级) and 服务类别 take only their listed values.
"""

from __future__ import annotations

from dataclasses import dataclass

DISCLOSURE_TYPES = ("决策", "执行", "管理", "服务", "结果")
STATUSES = ("已公开", "待公开", "部分公开", "近期不公开", "涉密不予公开")
PUBLIC_STATUSES = ("已公开", "部分公开")
DISCLOSURE_FORMS = ("主动公开", "依申请公开")
SERVICE_CATEGORIES = ("行政服务", "便民服务", "日常工作")
# Seed 000 attachment 2, in its order; then values catalogs already hold.
ITEM_TYPES = (
    "行政许可",
    "行政处罚",
    "行政确认",
    "行政强制",
    "行政奖励",
    "行政征收",
    "行政给付",
    "行政裁决",
    "其他行政服务事项",
    "办事指南",
    "单位名录",
    "场馆信息",
    "政策文件",
    "通知公告",
    "常见问题",
    "普通信息",
    "服务链接",
    "行政检查",
    "其他行政权力",
    "公共服务",
    "工作动态",
    "统计信息",
    "名单公示",
    "资金信息",
    "其他",
)
# Seed 000 attachment 2; 全社会 and 特定群体 are the national standard catalogs' columns.
AUDIENCES = ("企业", "个人", "企业/个人", "行政机关", "事业单位", "全社会", "特定群体")
PRESENTATIONS = ("信息图", "视频", "表格", "图文", "文字", "宣传册", "艺术表演")
LEVELS = ("县级", "乡级", "村级")
CHANNELS = (
    "政府网站",
    "政务新媒体",
    "实体大厅",
    "便民服务站",
    "电子公告栏",
    "公开栏",
    "广播电视",
    "纸质媒体",
    "触摸屏",
    "村务公开栏",
    "精准推送",
    "专题专栏",
    # The national standard catalogs' tick boxes.
    "政府公报",
    "发布会/听证会",
    "公开查阅点",
    "入户/现场",
    "其他",
)
PILOT_DOMAINS = (
    "就业创业",
    "社会救助",
    "社会保险",
    "户籍管理",
    "医疗卫生",
    "涉农补贴",
    "城市综合执法",
    "养老服务",
)


@dataclass(frozen=True)
class Element:
    field: str
    label: str
    required: bool = False
    choices: tuple[str, ...] | None = None
    multiple: bool = False  # several values joined by "、"
    open: bool = False  # choices are a reference: other values are kept, with a warning


ELEMENTS: tuple[Element, ...] = (
    Element("disclosure_type", "公开类型", True, DISCLOSURE_TYPES),
    Element("domain", "业务领域", True),
    Element("category1", "一级分类", True),
    Element("category2", "二级分类"),
    Element("name", "事项名称", True),
    Element("content", "事项内容", True),
    Element("basis", "公开依据"),
    Element("publisher", "公开主体", True),
    Element("time_limit", "公开时限"),
    Element("channels", "公开渠道", False, CHANNELS, True, open=True),
    Element("audience", "服务对象", False, AUDIENCES, open=True),
    Element("disclosure_form", "公开形式", True, DISCLOSURE_FORMS),
    Element("presentation", "呈现形式", False, PRESENTATIONS, open=True),
    Element("status", "公开状态", True, STATUSES),
    Element("service_category", "服务类别", False, SERVICE_CATEGORIES),
    Element("item_type", "事项类型", False, ITEM_TYPES, open=True),
    Element("remarks", "备注"),
)
DEPLOYMENT_ELEMENTS: tuple[Element, ...] = (
    Element("code", "事项编码"),
    Element("level", "层级", True, LEVELS),
    Element("region", "区域", True),
    Element("online_url", "在线办理地址"),
)
ALL_ELEMENTS = DEPLOYMENT_ELEMENTS[:1] + ELEMENTS + DEPLOYMENT_ELEMENTS[1:]
BY_FIELD = {element.field: element for element in ALL_ELEMENTS}
ITEM_FIELDS = tuple(element.field for element in ALL_ELEMENTS)
