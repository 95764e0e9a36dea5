"""The desk's forms: the region is always picked from the tree, never typed."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from kiosk.catalog.elements import ALL_ELEMENTS, DISCLOSURE_TYPES, LEVELS, STATUSES
from kiosk.catalog.importing.tables import SUFFIXES
from kiosk.forms import Form
from kiosk.regions.models import Region


def options(values: Iterable[str], blank: str | None = None) -> list[SelectChoice]:
    head = [SelectChoice("", blank)] if blank is not None else []
    return head + [SelectChoice(value, value) for value in values]


def region_choices(regions: list[Region], blank: str) -> list[SelectChoice]:
    """The tree as select options, indented by depth (全角空格 keep the indent visible)."""
    return [SelectChoice("", blank)] + [
        SelectChoice(region.path, "\u3000" * (region.depth - 1) + region.name) for region in regions
    ]


class UploadForm(Form):
    files = MultipleFileField(
        "目录文件（可一次选择多个）", render_kw={"accept": ",".join(SUFFIXES)}
    )
    region = SelectField("导入到区域（文件里没写区域的行用它）", choices=[], validate_choice=True)


class AttachmentForm(Form):
    file = MultipleFileField(
        "附件（可一次选择多个）", validators=[FileRequired("请选择要附加的文件。")]
    )


class ItemFilterForm(Form):
    class Meta:
        csrf = False  # a GET search

    q = StringField("搜索（名称、编码）", validators=[Optional(), Length(max=100)])
    region = SelectField("区域", choices=[], validate_choice=False)
    domain = SelectField("业务领域", choices=[], validate_choice=False)
    status = SelectField("公开状态", choices=options(STATUSES, "全部"))
    item_type = SelectField("事项类型", choices=[], validate_choice=False)
    since = DateField("在此日期后有变化", validators=[Optional()])


class StatusForm(Form):
    status = SelectField("新的公开状态", choices=options(STATUSES))
    reason = TextAreaField("原因", validators=[DataRequired(), Length(max=500)])


class RegionForm(Form):
    parent = SelectField("上级区域", choices=[], validate_choice=True)
    name = StringField("名称", validators=[DataRequired(), Length(max=60)])


class RenameForm(Form):
    name = StringField("新名称", validators=[DataRequired(), Length(max=60)])


SELECTS = {"disclosure_type": DISCLOSURE_TYPES, "level": LEVELS, "status": STATUSES}
LONG = frozenset({"content", "basis", "remarks"})


def item_form_class(regions: list[Region]) -> type[Form]:
    """A form with one field per element; strict elements are selects, the region is the
    tree, open vocabularies (事项类型, 服务对象…) are typed as written."""

    class ItemForm(Form):
        pass

    for element in ALL_ELEMENTS:
        if element.field == "code":
            continue
        label = element.label + ("（必填）" if element.required else "")
        length = Length(max=5000 if element.field in LONG else 1000)
        if element.field == "region":
            field = SelectField(label, choices=region_choices(regions, "请选择"))
        elif element.field in SELECTS or element.field == "disclosure_form":
            values = SELECTS.get(element.field) or element.choices or ()
            field = SelectField(label, choices=options(values, "请选择"))
        elif element.field in LONG:
            field = TextAreaField(label, validators=[length])
        else:
            field = StringField(label, validators=[length])
        setattr(ItemForm, element.field, field)
    return ItemForm
