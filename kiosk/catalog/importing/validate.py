"""Check one row's values: required elements, enumerated values, region and level.

Strict elements take only their listed values (an error otherwise); open ones (see
kiosk/catalog/elements.py) keep any value as written, with a warning when it is not listed.
"""

from __future__ import annotations

import re

from sqlalchemy import String

from kiosk.catalog.elements import ALL_ELEMENTS, BY_FIELD, ITEM_FIELDS
from kiosk.catalog.importing.rows import Row
from kiosk.catalog.importing.vocabulary import canonical_choice
from kiosk.catalog.models import Item
from kiosk.errors import InputError
from kiosk.regions.services import level_of, normalise_path

REQUIRED = tuple(element.field for element in ALL_ELEMENTS if element.required)
STRICT = tuple(e.field for e in ALL_ELEMENTS if e.choices and not e.open and e.field != "level")
OPEN = tuple(e.field for e in ALL_ELEMENTS if e.open)
# Open values are several at once when written with 、 (个人、企业); channels already are.
PARTS = re.compile(r"[、,，;；]+")
# Column sizes of the catalog table: a longer value would not fit the database.
LENGTHS: dict[str, int] = {
    column.name: column.type.length
    for column in Item.__table__.columns
    if column.name in ITEM_FIELDS and isinstance(column.type, String) and column.type.length
}


def validate_row(row: Row, region: str, missing_columns: set[str]) -> tuple[dict[str, str], bool]:
    """(canonical values, whether the row is an item of its region's level).

    National layout rows whose 公开层级 is not ticked for the region's level are not.
    Problems go to row.errors and to missing_columns (reported once per sheet).
    """
    values = {element: row.values.get(element, "") for element in ITEM_FIELDS}
    belongs = _region_and_level(row, values, region, missing_columns)
    for element in OPEN:
        if values[element]:
            values[element] = _open_value(row, element, values[element])
    for element in STRICT:
        if values[element]:
            choice = canonical_choice(element, values[element])
            if choice is None:
                spec = BY_FIELD[element]
                row.errors.append(
                    row.problem(
                        element,
                        f"“{values[element]}”不是有效的{spec.label}，"
                        f"请用：{'、'.join(spec.choices or ())}",
                    )
                )
            else:
                values[element] = choice
    for element in REQUIRED:
        if values[element] or element in row.invalid:
            continue
        label = BY_FIELD[element].label
        if element in row.sources:
            row.errors.append(row.problem(element, f"{label}是必填项，不能为空"))
        elif element != "region":  # reported with its --region hint
            missing_columns.add(label)
    for element, length in LENGTHS.items():
        if len(values[element]) > length and element not in row.invalid:
            row.errors.append(
                row.problem(
                    element,
                    f"{BY_FIELD[element].label}太长（{len(values[element])} 个字，"
                    f"最多 {length} 个字）",
                )
            )
    url = values["online_url"]
    if url and not url.startswith(("http://", "https://")):
        row.errors.append(row.problem("online_url", f"“{url}”不是 http:// 或 https:// 开头的网址"))
    return values, belongs


def _open_value(row: Row, element: str, written: str) -> str:
    """Listed values in their canonical form, others as written (each a warning)."""
    spec = BY_FIELD[element]
    parts = [part for part in PARTS.split(written) if part] if spec.multiple else [written]
    if not spec.multiple and canonical_choice(element, written) is None:
        parts = [part for part in PARTS.split(written) if part]
    kept = []
    for part in parts:
        choice = canonical_choice(element, part)
        if choice is None:
            row.warn(element, f"“{part}”不在{spec.label}的参考值里，已按原样保留")
            choice = part
        kept.append(choice)
    return "、".join(dict.fromkeys(kept))


def _region_and_level(
    row: Row, values: dict[str, str], region: str, missing_columns: set[str]
) -> bool:
    written = values["region"] or region
    row.invalid.add("level")  # until the region is known, so is the level
    if not written:
        if "region" in row.sources:
            row.errors.append(row.problem("region", "区域为空：请在文件里填写，或导入时选择区域"))
        else:
            missing_columns.add("区域（或在导入时选择区域）")
        return True
    try:
        values["region"] = normalise_path(written)
    except InputError as error:
        row.errors.append(row.problem("region", str(error)))
        return True
    expected = level_of(values["region"])
    row.invalid.discard("level")
    if row.national:
        # The region says the level; rows ticked only for other levels are not its items.
        values["level"] = expected
        return row.levels is None or expected in row.levels
    if not values["level"]:
        values["level"] = expected
        return True
    level = canonical_choice("level", values["level"])
    if level is None:
        row.errors.append(
            row.problem(
                "level",
                f"“{values['level']}”不是有效的层级，"
                f"请用：{'、'.join(BY_FIELD['level'].choices or ())}",
            )
        )
    elif level != expected:
        row.errors.append(
            row.problem("level", f"层级“{level}”与区域“{values['region']}”（{expected}）不符")
        )
    else:
        values["level"] = level
    return True
