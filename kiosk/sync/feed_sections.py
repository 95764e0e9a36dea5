"""The change feed's sections beyond the catalog, as JSON Schemas (part of kiosk.sync.schema's
SCHEMAS): the county's signage for a hall, published answers (群众咨询) and the statuses of
information applications (依申请公开)."""

from __future__ import annotations

from kiosk.sync.schema_parts import MAX_CODE, SHA256_HEX, ref, text, whole

COUNTY_ID = {"type": "string", "minLength": 1, "maxLength": 40, "title": "县中心编号"}

SIGNAGE_PLAYLIST = {
    "type": "object",
    "description": "A published county playlist: its entries as the county's reviewers "
    "approved them (a media entry names its file by `sha256`).",
    "required": ["id", "name", "revision", "entries"],
    "properties": {
        "id": COUNTY_ID,
        "name": {"type": "string", "minLength": 1, "maxLength": 100, "title": "名称"},
        "revision": whole("版本", "Published revision at the centre."),
        "entries": {
            "type": "array",
            "maxItems": 1000,
            "items": {
                "type": "object",
                "required": ["id", "kind", "title", "duration", "enabled"],
                "properties": {
                    "id": whole("条目编号", "The entry's id at the centre."),
                    "kind": {
                        "type": "string",
                        "enum": ["notice", "item", "image", "video", "pdf", "qr", "web"],
                    },
                    "title": {"type": "string", "maxLength": 300},
                    "duration": {"type": "number", "minimum": 0, "maximum": 3600},
                    "enabled": {"type": "boolean"},
                    "sha256": SHA256_HEX,
                },
            },
        },
    },
}

SIGNAGE_SCHEDULE = {
    "type": "object",
    "description": "When a county playlist plays on every screen of the hall.",
    "required": ["id", "playlist", "starts_on", "ends_on", "weekdays", "windows", "priority"],
    "properties": {
        "id": COUNTY_ID,
        "playlist": COUNTY_ID,
        "starts_on": {"type": ["string", "null"], "format": "date", "title": "开始日期"},
        "ends_on": {"type": ["string", "null"], "format": "date", "title": "结束日期"},
        "weekdays": {"type": "string", "pattern": "^[1-7]{1,7}$", "title": "星期（ISO）"},
        "windows": {
            "type": "array",
            "maxItems": 24,
            "title": "时段",
            "items": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
            },
        },
        "priority": {"type": "integer", "minimum": -1000, "maximum": 1000, "title": "优先级"},
    },
}

SIGNAGE_FILE = {
    "type": "object",
    "description": "A file a county playlist uses: fetch it from `blobs/<sha256>`.",
    "required": ["sha256", "size", "name", "mime"],
    "properties": {
        "sha256": SHA256_HEX,
        "size": whole("字节数", "The file's bytes."),
        "name": {"type": "string", "minLength": 1, "maxLength": 255, "title": "文件名"},
        "mime": {
            "type": "string",
            "enum": [
                "image/jpeg",
                "image/png",
                "image/gif",
                "image/webp",
                "video/mp4",
                "video/webm",
                "application/pdf",
            ],
        },
    },
}

SIGNAGE = {
    "type": "object",
    "description": "The county's signage for this hall now: a hall holds exactly these "
    "county playlists and schedules, and fetches the files in the background.",
    "required": ["playlists", "schedules", "files"],
    "properties": {
        "playlists": {"type": "array", "items": ref("SignagePlaylist")},
        "schedules": {"type": "array", "items": ref("SignageSchedule")},
        "files": {"type": "array", "items": ref("SignageFile")},
    },
}

MAX_ANSWERS = 200  # answers one page carries at most

ANSWER = {
    "type": "object",
    "description": "A published answer to a resident's question (群众咨询): public ones of "
    "the items in the node's scope, and every answer to a question the node sent up.",
    "required": [
        "seq",
        "id",
        "reply_code",
        "item_code",
        "question",
        "answer",
        "department",
        "public",
        "asked_at",
        "answered_at",
    ],
    "properties": {
        "seq": whole("序号", "Its publication's sequence number: ask `answers=` this next."),
        "id": whole("答复编号", "The centre's number of the answer; a later version replaces it."),
        "reply_code": text("回复码", 16),
        "item_code": text("事项编码", MAX_CODE, 1),
        "question": text("问题", 500, 1),
        "answer": text("答复内容", 3000, 1),
        "department": text("答复部门", 200, 1),
        "public": {"type": "boolean", "title": "是否公开"},
        "asked_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "title": "提问时间",
            "description": "With its UTC offset; null when the hall did not say.",
        },
        "answered_at": {"type": "string", "format": "date-time", "title": "答复时间"},
    },
}

APPLICATION_STATUS = {
    "type": "object",
    "description": "Where an information application (依申请公开) of the county stands: its "
    "number and dates only, no personal data; every node receives every one.",
    "required": [
        "seq",
        "number",
        "state",
        "received_on",
        "due_on",
        "extended",
        "outcome",
        "answered_on",
    ],
    "properties": {
        "seq": whole("序号", "Its last change's sequence number: ask `applications=` this next."),
        "number": {"type": "string", "pattern": "^[0-9]{14}$", "title": "申请编号"},
        "state": {
            "type": "string",
            "enum": ["registered", "correction", "answered"],
            "title": "办理状态",
        },
        "received_on": {"type": "string", "format": "date", "title": "收到申请日期"},
        "due_on": {
            "type": ["string", "null"],
            "format": "date",
            "title": "答复期限",
            "description": "null while the clock is stopped for a 补正.",
        },
        "extended": {"type": "boolean", "title": "是否延期"},
        "outcome": {
            "type": "string",
            "enum": ["", "公开", "部分公开", "不予公开", "信息不存在", "非本机关负责"],
            "title": "答复结果",
        },
        "answered_on": {"type": ["string", "null"], "format": "date", "title": "答复日期"},
    },
}
