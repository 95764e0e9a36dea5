"""What headers, enumerated values, channels and levels may be called in real files."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kiosk.catalog.elements import ALL_ELEMENTS, BY_FIELD, CHANNELS, ITEM_TYPES
from kiosk.catalog.importing.cells import clean_line
from kiosk.catalog.text import simplified

# Column header variants seen in county files, besides each element's own label and field.
# "item2"/"item3" are the national layout's 二级/三级事项 (resolved in rows.py).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("编码", "事项代码", "代码"),
    "disclosure_type": ("公开类别", "五公开类型"),
    "domain": ("领域", "所属领域", "公开领域"),
    "category1": ("一级事项", "一级", "一级目录"),
    "category2": ("二级目录",),
    "item2": ("二级事项", "二级"),
    "item3": ("三级事项", "三级"),
    "name": ("名称", "公开事项名称", "公开事项", "事项"),
    "content": ("公开内容", "内容", "公开内容要素", "公开要素"),
    "basis": ("依据", "法律依据", "公开依据文件"),
    "publisher": ("公开责任主体", "责任主体", "公开单位", "责任单位"),
    "time_limit": ("时限", "公开时间"),
    "channels": ("公开渠道和载体", "公开渠道及载体", "公开载体", "渠道"),
    "audience": ("公开对象", "对象"),
    "disclosure_form": ("公开方式",),
    "presentation": ("展现形式",),
    "status": ("状态",),
    "service_category": ("服务类型",),
    "item_type": ("事项类别",),
    "remarks": ("说明",),
    "level": ("公开层级",),
    "region": ("所属区域", "地区", "行政区域", "行政区划"),
    "online_url": ("在线地址", "办理地址", "网址", "链接", "在线办理", "办理链接"),
}
IGNORED_HEADERS = frozenset({"序号", "序", "NO", "NO."})
# Two-row headers: a column under one of these groups holds ticks for the option it names.
TICK_GROUPS = {
    "公开对象": "audience",
    "服务对象": "audience",
    "公开方式": "disclosure_form",
    "公开形式": "disclosure_form",
    "公开层级": "level",
    "层级": "level",
}
TICK_OPTIONS = frozenset({"全社会", "特定群体", "主动", "依申请", "主动公开", "依申请公开"})

CHOICE_VARIANTS: dict[str, dict[str, str]] = {
    "disclosure_type": {
        f"{value}公开": value for value in BY_FIELD["disclosure_type"].choices or ()
    },
    "status": {
        "公开": "已公开",
        "已经公开": "已公开",
        "部分": "部分公开",
        "暂不公开": "近期不公开",
        "涉密": "涉密不予公开",
        "不予公开": "涉密不予公开",
    },
    "disclosure_form": {"主动": "主动公开", "依申请": "依申请公开", "申请公开": "依申请公开"},
    "service_category": {"行政": "行政服务", "便民": "便民服务"},
    "item_type": {
        **{value[2:]: value for value in ITEM_TYPES if value.startswith("行政")},
        "其他权力": "其他行政权力",
    },
    "level": {
        "县": "县级",
        "县本级": "县级",
        "县区级": "县级",
        "区级": "县级",
        "乡": "乡级",
        "镇": "乡级",
        "乡镇": "乡级",
        "乡镇级": "乡级",
        "街道": "乡级",
        "乡镇街道": "乡级",
        "村": "村级",
        "社区": "村级",
        "村社区": "村级",
        "村社区级": "村级",
        "村居": "村级",
    },
}

# Channel names in county files mapped onto the catalog's channel list; others kept as written.
CHANNEL_VARIANTS = {
    "两微一端": "政务新媒体",
    "新媒体": "政务新媒体",
    "政务微博": "政务新媒体",
    "政务微信": "政务新媒体",
    "微信": "政务新媒体",
    "微博": "政务新媒体",
    # Seed 000 attachment 2 writes these.
    "政府网站常规公开": "政府网站",
    "(电子)公告栏": "电子公告栏",
    "公告栏": "公开栏",
    "便民服务站(中心)": "便民服务站",
    "专栏": "专题专栏",
    "政务服务中心": "实体大厅",
    "政务大厅": "实体大厅",
    "服务大厅": "实体大厅",
    "便民服务中心": "实体大厅",
    "门户网站": "政府网站",
    "电子屏": "电子公告栏",
    "电子显示屏": "电子公告栏",
    "电子公示栏": "电子公告栏",
    "公示栏": "公开栏",
    "社区/企事业单位/村公示栏(电子屏)": "公开栏",
    "报刊": "纸质媒体",
    "报纸": "纸质媒体",
    "触摸查询机": "触摸屏",
    "自助查询机": "触摸屏",
}
BOXES = "■□☑☐√✓✔"
CHOSEN_BOXES = "■☑√✓✔"


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """Comparison form: simplified, half-width, no spaces, no '*' marks."""
    folded = unicodedata.normalize("NFKC", simplified(clean_line(text)))
    return re.sub(r"[\s*]", "", folded).upper()


def header_key(text: str) -> str:
    """Header comparison form; a trailing note in brackets (公开内容（要素）) is dropped."""
    bare = key(text)
    stripped = re.sub(r"\([^()]*\)$", "", bare)
    return stripped or bare


def _header_fields() -> dict[str, str]:
    fields: dict[str, str] = {}
    for element in ALL_ELEMENTS:
        fields[header_key(element.label)] = element.field
        fields[header_key(element.field)] = element.field
    for field, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            fields.setdefault(header_key(alias), field)
    return fields


HEADER_FIELDS = _header_fields()


@lru_cache(maxsize=8192)
def canonical_choice(field: str, text: str) -> str | None:
    """The enumerated value text stands for, or None when it is not one."""
    wanted = re.sub(r"\([^()]*\)", "", key(text)) or key(text)
    for value in BY_FIELD[field].choices or ():
        if key(value) == key(text) or key(value) == wanted:
            return value
    variants = CHOICE_VARIANTS.get(field, {})
    return variants.get(key(text)) or variants.get(wanted)


def levels_in(text: str) -> list[str] | None:
    """Levels a header or cell names: '乡、村级' is both 乡级 and 村级; None if any part is not."""
    parts = [part for part in re.split(r"[、,，/和及\s]+", clean_line(text)) if part]
    levels = [canonical_choice("level", part) for part in parts]
    if not levels or None in levels:
        return None
    return list(dict.fromkeys(level for level in levels if level))


@lru_cache(maxsize=8192)
def channels_of(text: str) -> str:
    """The chosen channels of a cell: '■政府网站 □政府公报 ■两微一端' -> '政府网站、政务新媒体'.

    Without boxes the cell is read as a plain list.
    """
    line = clean_line(text)
    if any(box in line for box in BOXES):
        parts = re.findall(rf"([{BOXES}])\s*([^{BOXES}]*)", line)
        names = [name for box, name in parts if box in CHOSEN_BOXES]
    else:
        names = re.split(r"[、,，;；\s]+", line)
    chosen = []
    for name in names:
        name = name.strip(" 、,，;；")
        if name:
            chosen.append(_channel(name))
    return "、".join(dict.fromkeys(chosen))


def _channel(name: str) -> str:
    return _known_channels().get(key(name), name)


@lru_cache(maxsize=1)
def _known_channels() -> dict[str, str]:
    known = {key(channel): channel for channel in CHANNELS}
    known.update((key(variant), channel) for variant, channel in CHANNEL_VARIANTS.items())
    return known


# The 26 domains of the national standard guidelines (seed 002), for titles with a prefix
# such as "示范县社会救助领域基层政务公开标准目录".
DOMAINS = (
    "国土空间规划",
    "重大建设项目",
    "公共资源交易",
    "财政预决算",
    "安全生产",
    "税收管理",
    "征地补偿",
    "国有土地上房屋征收",
    "保障性住房",
    "农村危房改造",
    "环境保护",
    "公共文化服务",
    "公共法律服务",
    "扶贫",
    "救灾",
    "食品药品监管",
    "城市综合执法",
    "就业创业",
    "社会保险",
    "社会救助",
    "养老服务",
    "户籍管理",
    "涉农补贴",
    "义务教育",
    "医疗卫生",
    "市政服务",
)


def domain_in_title(text: str) -> str:
    """'XX领域基层政务公开标准目录' -> 'XX' (a known domain name when one is inside)."""
    match = re.search(r"([^\s、,，:：]+?)[领領]域", clean_line(text))
    if not match:
        return ""
    found = re.sub(r"^附件\s*\d*", "", match.group(1))
    for domain in DOMAINS:
        if domain in found or domain in simplified(found):
            return domain
    return found
