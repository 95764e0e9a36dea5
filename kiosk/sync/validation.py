"""Documents of the sync API checked against its own schemas (kiosk/sync/schema.py, the
objects the OpenAPI document shows), compiled once with fastjsonschema; a misfit is told in
Chinese, naming where (the field's path, for IT staff, and its Chinese name) and what.
Used by the hall for the centre's answers and by the centre for the halls' outboxes."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema

from kiosk.sync.schema import standalone
from kiosk.sync.schema_parts import ref

TYPES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "是或否",
    "array": "列表",
    "object": "对象",
    "null": "空值",
}


@cache
def validator(name: str, many: bool) -> Callable[[Any], Any]:
    schema = {"type": "array", "items": ref(name)} if many else ref(name)
    return fastjsonschema.compile(standalone(schema), use_default=False)


def shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _named(path: str, title: str | None) -> str:
    return f"{path}（{title}）" if title else path


def describe(failure: fastjsonschema.JsonSchemaValueException, root: str = "") -> str:
    """A schema failure in Chinese: where (path and field name) and what is wrong."""
    path = root + (failure.name or "data").removeprefix("data")
    path = path.lstrip(".") or "整个回答"
    definition = failure.definition if isinstance(failure.definition, dict) else {}
    rule, expected, value = failure.rule, failure.rule_definition, failure.value
    if rule == "required" and isinstance(value, dict):
        fields = definition.get("properties", {})
        missing = [key for key in expected if key not in value]
        names = "、".join(_named(key, fields.get(key, {}).get("title")) for key in missing[:3])
        more = f"等 {len(missing)} 项" if len(missing) > 3 else ""
        return f"{path} 缺少 {names}{more}"
    where = _named(path, definition.get("title"))
    if rule == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        problem = "应为" + "或".join(TYPES.get(str(kind), str(kind)) for kind in wanted)
    elif rule == "enum":
        problem = f"为“{shown(value)}”，只能是{'、'.join(map(str, expected))}"
    elif rule == "const":
        problem = f"为 {shown(value)}，本站只认 {expected}（本站与县中心的软件版本不一致）"
    elif rule == "minLength":
        problem = "为空" if expected == 1 else f"少于 {expected} 个字"
    elif rule == "maxLength":
        problem = f"超过 {expected} 个字"
    elif rule == "minimum":
        problem = f"为 {shown(value)}，不能小于 {expected}"
    elif rule == "maximum":
        problem = f"为 {shown(value)}，不能大于 {expected}"
    elif rule == "maxItems":
        problem = f"超过 {expected} 条"
    elif rule == "pattern":
        problem = f"为“{shown(value)}”，格式不对（应符合 {expected}）"
    elif rule == "format" and expected == "date-time":
        problem = f"为“{shown(value)}”，不是带时区的时间（例如 2026-12-01T14:03:00+08:00）"
    else:
        problem = f"不符合规定（{rule}）"
    return f"{where}{problem}"


def misfit(name: str, document: Any, many: bool = False, root: str = "") -> str | None:
    """None when `document` (or, `many`, each element of it) fits schema `name`; else
    what is wrong, in Chinese."""
    try:
        validator(name, many)(document)
    except fastjsonschema.JsonSchemaValueException as failure:
        return describe(failure, root)
    return None
