"""The catalog's elements: field names, Chinese labels and the enumerated values.

Seed 000 attachment 2 defines 16 elements; a deployment adds code, level, region,
online address and change time. Everything that needs the list (import, export,
validation, templates) reads it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

DISCLOSURE_TYPES = ("决策", "执行", "管理", "服务", "结果")
STATUSES = ("已公开", "待公开", "部分公开", "近期不公开", "涉密不予公开")
PUBLIC_STATUSES = ("已公开", "部分公开")
DISCLOSURE_FORMS = ("主动公开", "依申请公开")
SERVICE_CATEGORIES = ("行政服务", "便民服务", "日常工作")
ITEM_TYPES = (
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
    "办事指南",
    "政策文件",
    "通知公告",
    "常见问题",
    "工作动态",
    "统计信息",
    "名单公示",
    "资金信息",
    "其他",
)
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
    Element("channels", "公开渠道", False, None, True),
    Element("audience", "服务对象"),
    Element("disclosure_form", "公开形式", True, DISCLOSURE_FORMS),
    Element("presentation", "呈现形式"),
    Element("status", "公开状态", True, STATUSES),
    Element("service_category", "服务类别", False, SERVICE_CATEGORIES),
    Element("item_type", "事项类型", False, ITEM_TYPES),
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
