"""Check one row's values: required elements, enumerated values, region and level."""

from __future__ import annotations

from kiosk.catalog.elements import ALL_ELEMENTS, BY_FIELD, ITEM_FIELDS
from kiosk.catalog.importing.rows import Row
from kiosk.catalog.importing.vocabulary import canonical_choice
from kiosk.errors import InputError
from kiosk.regions.services import level_of, normalise_path

REQUIRED = tuple(element.field for element in ALL_ELEMENTS if element.required)
CHOICES = tuple(e.field for e in ALL_ELEMENTS if e.choices and e.field != "level")


def validate_row(row: Row, region: str, missing_columns: set[str]) -> tuple[dict[str, str], bool]:
    """(canonical values, whether the row is an item of its region's level).

    National layout rows whose 公开层级 is not ticked for the region's level are not.
    Problems go to row.errors and to missing_columns (reported once per sheet).
    """
    values = {element: row.values.get(element, "") for element in ITEM_FIELDS}
    belongs = _region_and_level(row, values, region, missing_columns)
    for element in CHOICES:
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
    url = values["online_url"]
    if url and not url.startswith(("http://", "https://")):
        row.errors.append(row.problem("online_url", f"“{url}”不是 http:// 或 https:// 开头的网址"))
    return values, belongs


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
