"""Pieces the sync API's JSON Schemas are made of (kiosk/sync/schema.py, feed_sections.py)."""

from __future__ import annotations

from typing import Any

# The largest cursor the centre takes (GET /changes?cursor=): 18 digits, the most
# kiosk.parsing reads, well within the 64-bit sequence column.
MAX_CURSOR = 10**18 - 1
MAX_CODE = 64  # an item code's column
SHA256_HEX = {"type": "string", "pattern": "^[0-9a-f]{64}$", "title": "SHA-256 校验值"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def whole(title: str, description: str, maximum: int = MAX_CURSOR) -> dict[str, Any]:
    return {
        "type": "integer",
        "minimum": 0,
        "maximum": maximum,
        "title": title,
        "description": description,
    }


def text(title: str, maximum: int, minimum: int = 0) -> dict[str, Any]:
    return {"type": "string", "minLength": minimum, "maxLength": maximum, "title": title}
