"""The JSON Schemas of the management API: its answers and the bodies it takes.

kiosk/api/openapi.py puts them beside the sync API's (kiosk/sync/schema.py) under
components/schemas; the API checks every body it takes against its schema first (a `title`
names a field in Chinese for the message), then the signage services check what they mean."""

from __future__ import annotations

from typing import Any

from kiosk.signage.models import ENTRY_KINDS, LAYOUTS
from kiosk.sync.schema_parts import SHA256_HEX, text

MAX_ID = 10**18 - 1  # what the `<id:…>` converter and kiosk.parsing read


def _id(title: str, nullable: bool = False) -> dict[str, Any]:
    kind: Any = ["integer", "null"] if nullable else "integer"
    return {"type": kind, "minimum": 1, "maximum": MAX_ID, "title": title}


def _time(title: str) -> dict[str, Any]:
    return {"type": ["string", "null"], "title": title, "description": "ISO 8601, local time"}


def _date(title: str) -> dict[str, Any]:
    return {"type": ["string", "null"], "title": title, "description": "YYYY-MM-DD"}


def _object(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
    }


def _answer(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


LAYOUT = {"type": "string", "enum": list(LAYOUTS), "title": "版式"}

SCREEN = _answer(
    {
        "id": _id("编号"),
        "slug": text("地址名", 40),
        "name": text("名称", 100),
        "group_id": _id("分组", nullable=True),
        "layout": {"type": ["string", "null"], "title": "版式（空：用分组的）"},
        "paired": {"type": "boolean", "title": "已配对"},
        "online": {"type": "boolean", "title": "在线"},
        "last_seen_at": _time("最近在线"),
        "showing": {"type": "string", "title": "正在播放"},
    }
)
SCREEN_UPDATE = _object(
    ["name"],
    {
        "name": text("屏幕名称", 100, 1),
        "group_id": _id("分组", nullable=True),
        "layout": {"type": ["string", "null"], "enum": [*LAYOUTS, None], "title": "版式"},
    },
)
GROUP = _answer(
    {
        "id": _id("编号"),
        "name": text("名称", 100),
        "layout": LAYOUT,
        "default_playlist_id": _id("默认播放列表", nullable=True),
    }
)
GROUP_INPUT = _object(
    ["name"],
    {
        "name": text("分组名称", 100, 1),
        "layout": LAYOUT,
        "default_playlist_id": _id("默认播放列表", nullable=True),
    },
)
MEDIA = _answer(
    {
        "id": _id("编号"),
        "name": text("文件名", 255),
        "mime": text("类型", 64),
        "size": {"type": "integer", "minimum": 0, "title": "大小（字节）"},
        "sha256": SHA256_HEX,
        "complete": {"type": "boolean", "title": "已完整"},
        "uploaded_by": text("上传人", 64),
        "created_at": _time("上传时间"),
    }
)
ENTRY = _answer(
    {
        "id": _id("编号"),
        "kind": {"type": "string", "enum": list(ENTRY_KINDS), "title": "内容类型"},
        "name": {"type": "string", "title": "显示名称"},
        "title": {"type": "string", "title": "标题"},
        "text": {"type": "string", "title": "说明文字"},
        "duration": {"type": "number", "title": "秒数"},
        "enabled": {"type": "boolean", "title": "启用"},
        "starts_on": _date("开始日期"),
        "ends_on": _date("结束日期"),
        "notice_id": _id("公告", nullable=True),
        "item_code": {"type": "string", "title": "事项编码"},
        "media_id": _id("文件", nullable=True),
        "url": {"type": "string", "title": "网址"},
        "page_from": {"type": "integer", "title": "起始页"},
        "page_to": {"type": "integer", "title": "结束页"},
    }
)
# What an entry form takes; the service reads the values as the admin's form gives them.
ENTRY_FIELDS: dict[str, Any] = {
    "title": text("标题", 300),
    "text": text("说明文字", 2000),
    "duration": {"type": "number", "minimum": 0, "maximum": 3600, "title": "秒数"},
    "starts_on": {**text("开始日期", 10), "type": ["string", "null"]},
    "ends_on": {**text("结束日期", 10), "type": ["string", "null"]},
    "notice_id": _id("公告", nullable=True),
    "item_code": text("事项编码", 64),
    "media_id": _id("文件", nullable=True),
    "url": text("网址", 1000),
    "page_from": {"type": "integer", "minimum": 1, "maximum": 999, "title": "起始页"},
    "page_to": {"type": "integer", "minimum": 1, "maximum": 999, "title": "结束页"},
}
ENTRY_INPUT = _object(
    ["kind"],
    {"kind": {"type": "string", "enum": list(ENTRY_KINDS), "title": "内容类型"}, **ENTRY_FIELDS},
)
ENTRY_UPDATE = _object([], {**ENTRY_FIELDS, "enabled": {"type": "boolean", "title": "启用"}})
PLAYLIST = _answer(
    {
        "id": _id("编号"),
        "name": text("名称", 100),
        "is_default": {"type": "boolean", "title": "全局默认列表"},
        "is_attract": {"type": "boolean", "title": "触摸屏待机列表"},
        "county": {"type": "boolean", "title": "县级列表（只读）"},
        "published_revision": {"type": "integer", "minimum": 0, "title": "已发布版本"},
        "published_at": _time("发布时间"),
        "entries": {"type": "array", "items": ENTRY, "title": "条目（草稿）"},
    }
)
PLAYLIST_INPUT = _object(["name"], {"name": text("播放列表名称", 100, 1)})
SCHEDULE = _answer(
    {
        "id": _id("编号"),
        "playlist_id": _id("播放列表"),
        "screen_id": _id("屏幕", nullable=True),
        "group_id": _id("分组", nullable=True),
        "starts_on": _date("开始日期"),
        "ends_on": _date("结束日期"),
        "weekdays": {"type": "string", "title": "星期（1=周一）"},
        "windows": {
            "type": "array",
            "title": "时段",
            "items": {"type": "array", "items": {"type": "string"}},
        },
        "priority": {"type": "integer", "title": "优先级"},
        "region": {"type": ["string", "null"], "title": "区域"},
    }
)
SCHEDULE_INPUT = _object(
    ["playlist_id"],
    {
        "playlist_id": _id("播放列表"),
        "screen_id": _id("屏幕", nullable=True),
        "group_id": _id("分组", nullable=True),
        "starts_on": {**text("开始日期", 10), "type": ["string", "null"]},
        "ends_on": {**text("结束日期", 10), "type": ["string", "null"]},
        "weekdays": {**text("星期（1=周一，不填：每天）", 7, 1), "pattern": "^[1-7]+$"},
        "windows": {**text("时段（如 08:30-12:00, 14:00-17:30）", 500)},
        "priority": {"type": "integer", "minimum": -1000, "maximum": 1000, "title": "优先级"},
        "region": {**text("区域（县中心）", 200), "type": ["string", "null"]},
    },
)
EMERGENCY_NOTICE = _answer(
    {
        "id": _id("编号"),
        "title": text("标题", 300),
        "body": {"type": "string", "title": "正文"},
        "group_id": _id("分组", nullable=True),
        "source": {"type": "string", "title": "来源"},
        "issued_by": text("发布人", 64),
        "created_at": _time("发布时间"),
        "expires_at": _time("结束时间"),
    }
)
EMERGENCY_INPUT = _object(
    ["title"],
    {
        "title": text("紧急通知标题", 300, 1),
        "body": text("正文", 5000),
        "group_id": _id("分组", nullable=True),
        "minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 10080, "title": "分钟数"},
        "region": text("区域（县中心）", 200),
    },
)
PLAY = _answer(
    {
        "id": _id("编号"),
        "screen_id": _id("屏幕", nullable=True),
        "screen_name": {"type": "string", "title": "屏幕"},
        "playlist_id": {"type": ["integer", "null"], "title": "播放列表"},
        "entry_id": {"type": ["integer", "null"], "title": "条目"},
        "title": {"type": "string", "title": "内容"},
        "started_at": _time("开始"),
        "ended_at": _time("结束"),
        "seconds": {"type": "number", "title": "秒数"},
    }
)


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


MANAGE_SCHEMAS: dict[str, dict[str, Any]] = {
    "Screen": SCREEN,
    "ScreenList": _list(SCREEN),
    "ScreenUpdate": SCREEN_UPDATE,
    "ScreenGroup": GROUP,
    "ScreenGroupList": _list(GROUP),
    "ScreenGroupInput": GROUP_INPUT,
    "MediaFile": MEDIA,
    "MediaFileList": _list(MEDIA),
    "PlaylistEntry": ENTRY,
    "PlaylistEntryInput": ENTRY_INPUT,
    "PlaylistEntryUpdate": ENTRY_UPDATE,
    "Playlist": PLAYLIST,
    "PlaylistList": _list(PLAYLIST),
    "PlaylistInput": PLAYLIST_INPUT,
    "Schedule": SCHEDULE,
    "ScheduleList": _list(SCHEDULE),
    "ScheduleInput": SCHEDULE_INPUT,
    "EmergencyNotice": EMERGENCY_NOTICE,
    "EmergencyNoticeList": _list(EMERGENCY_NOTICE),
    "EmergencyNoticeInput": EMERGENCY_INPUT,
    "PlayRecordList": _list(PLAY),
}
