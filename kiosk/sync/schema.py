"""The JSON Schemas of the sync API: one object for two uses.

The feed's sections beyond the catalog (county signage, answers, application statuses) are
in feed_sections.py, the shared pieces in schema_parts.py.

kiosk/api/openapi.py puts SCHEMAS under the OpenAPI document's components/schemas, and the
hall checks every answer of the centre against the same dicts (kiosk/sync/hall/checks.py).
References are written as in that document (`#/components/schemas/Item`); `standalone`
puts the others beside a schema so a validator resolves them without the document.

Only keywords that mean the same in JSON Schema draft 7 and 2020-12 (OpenAPI 3.1's dialect)
are used, and no `$ref` has a sibling that validates: the hall compiles them with
fastjsonschema (draft 7 code, some 30 times faster than jsonschema on a first sync's
20,000 items), the tests check them with jsonschema's Draft 2020-12 validator.
A `title` names a field in Chinese: the hall's messages about a bad answer use it.
"""

from __future__ import annotations

from typing import Any

from kiosk.catalog.elements import BY_FIELD, ITEM_FIELDS, LEVELS, PUBLIC_STATUSES
from kiosk.sync.changes import FEED_FORMAT, MAX_PAGE
from kiosk.sync.feed_sections import (
    ANSWER,
    APPLICATION_STATUS,
    MAX_ANSWERS,
    SIGNAGE,
    SIGNAGE_FILE,
    SIGNAGE_PLAYLIST,
    SIGNAGE_SCHEDULE,
)
from kiosk.sync.schema_parts import MAX_CODE, ref, whole
from kiosk.sync.snapshot import SNAPSHOT_FORMAT

# What the centre takes from a hall's outbox at once, and the lengths of its keys.
MAX_BATCH = 500
MAX_KEY = 64
MAX_KIND = 32


def standalone(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with every schema of the API beside it, where its references point."""
    return {**schema, "components": {"schemas": SCHEMAS}}


def _item() -> dict[str, Any]:
    properties: dict[str, Any] = {
        field: {"type": "string", "title": BY_FIELD[field].label} for field in ITEM_FIELDS
    }
    properties["code"].update(minLength=1, maxLength=MAX_CODE)
    # Only public items may leave the centre; a hall refuses any other.
    properties["status"]["enum"] = list(PUBLIC_STATUSES)
    properties["level"]["enum"] = list(LEVELS)
    properties["region"]["minLength"] = 1
    properties["changed_at"] = {
        "type": "string",
        "format": "date-time",
        "title": "变更时间",
        "description": "When the item last changed at the centre, with its UTC offset.",
    }
    return {
        "type": "object",
        "description": "A public catalog item: the 16 elements and what a deployment adds.",
        "required": [*ITEM_FIELDS, "changed_at"],
        "properties": properties,
    }


ITEM = _item()

CHANGE = {
    "type": "object",
    "required": ["seq", "op", "code"],
    "properties": {
        "seq": whole("序号", "The change's sequence number; increasing within a page."),
        "op": {"type": "string", "enum": ["upsert", "delete"], "title": "操作"},
        "code": {"type": "string", "minLength": 1, "maxLength": MAX_CODE, "title": "事项编码"},
        "item": {**ref("Item"), "description": "Present for `upsert`."},
    },
    "if": {"required": ["op"], "properties": {"op": {"const": "upsert"}}},
    "then": {"required": ["item"]},
}

EMERGENCY = {
    "type": "object",
    "description": "A county emergency notice up now.",
    "required": ["id", "title", "body", "expires_at"],
    "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 40, "title": "编号"},
        "title": {"type": "string", "minLength": 1, "maxLength": 300, "title": "标题"},
        "body": {"type": "string", "maxLength": 5000, "title": "正文"},
        "expires_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "title": "截止时间",
            "description": "With its UTC offset; null: until taken down.",
        },
    },
}

CHANGE_PAGE = {
    "type": "object",
    "required": ["format", "since", "cursor", "latest", "more", "count", "changes"],
    "properties": {
        "format": {"type": "integer", "const": FEED_FORMAT, "title": "格式版本"},
        "since": whole("所问游标", "The cursor asked for."),
        "cursor": whole("游标", "Where to go on from."),
        "latest": whole("中心目录版本", "The centre's catalog version."),
        "more": {"type": "boolean", "title": "是否还有"},
        "count": whole("变更条数", "len(changes).", MAX_PAGE),
        "changes": {"type": "array", "maxItems": MAX_PAGE, "items": ref("Change")},
        "emergencies": {
            "type": "array",
            "description": "The county's emergency notices up now; a hall shows them on "
            "every screen and takes down the county notices no longer listed.",
            "items": ref("Emergency"),
        },
        "signage": ref("Signage"),
        "answers": {
            "type": "array",
            "maxItems": MAX_ANSWERS,
            "description": "Published answers after the `answers` cursor asked for, in `seq` "
            "order; more than fit come with the next poll.",
            "items": ref("Answer"),
        },
        "applications": {
            "type": "array",
            "maxItems": MAX_ANSWERS,
            "description": "Application statuses changed after the `applications` cursor asked "
            "for, in `seq` order; more than fit come with the next poll.",
            "items": ref("ApplicationStatus"),
        },
    },
}

SNAPSHOT_MANIFEST = {
    "type": "object",
    "required": ["format", "cursor", "items", "sha256", "size", "url"],
    "properties": {
        "format": {"type": "integer", "const": SNAPSHOT_FORMAT, "title": "格式版本"},
        "cursor": whole(
            "目录版本",
            "The feed sequence the snapshot is consistent with: ask /changes from here.",
        ),
        "items": whole("事项数", "How many items the file holds."),
        "sha256": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "title": "SHA-256 校验值",
            "description": "Of the file's bytes.",
        },
        "size": whole("字节数", "The file's bytes."),
        "url": {
            "type": "string",
            "pattern": "^snapshots/[0-9a-f]{64}\\.json\\.gz$",
            "title": "下载地址",
            "description": "Relative to this API: `snapshots/<sha256>.json.gz`.",
        },
    },
}

OUTBOX_ENTRY = {
    "type": "object",
    "required": ["key", "kind", "payload"],
    "properties": {
        "key": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_KEY,
            "title": "幂等键",
            "description": "Stored once per node and key.",
        },
        "kind": {"type": "string", "minLength": 1, "maxLength": MAX_KIND, "title": "种类"},
        "payload": {"type": "object", "title": "内容"},
        "created_at": {"type": "string", "format": "date-time", "title": "记录时间"},
    },
}

OUTBOX_BATCH = {
    "type": "object",
    "required": ["entries"],
    "properties": {
        "entries": {"type": "array", "maxItems": MAX_BATCH, "items": ref("OutboxEntry")}
    },
}

ACKNOWLEDGEMENT = {
    "type": "object",
    "required": ["acknowledged", "stored"],
    "properties": {
        "acknowledged": {
            "type": "array",
            "items": {"type": "string"},
            "title": "已确认的键",
            "description": "Every key of the batch, now held by the centre.",
        },
        "stored": whole("新存条数", "How many were new to the centre.", MAX_BATCH),
    },
}

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "title": "错误代码"},
        "message": {"type": "string", "title": "说明"},
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Item": ITEM,
    "Change": CHANGE,
    "Emergency": EMERGENCY,
    "SignagePlaylist": SIGNAGE_PLAYLIST,
    "SignageSchedule": SIGNAGE_SCHEDULE,
    "SignageFile": SIGNAGE_FILE,
    "Signage": SIGNAGE,
    "Answer": ANSWER,
    "ApplicationStatus": APPLICATION_STATUS,
    "ChangePage": CHANGE_PAGE,
    "SnapshotManifest": SNAPSHOT_MANIFEST,
    "OutboxEntry": OUTBOX_ENTRY,
    "OutboxBatch": OUTBOX_BATCH,
    "OutboxAck": ACKNOWLEDGEMENT,
    "Error": ERROR,
}
