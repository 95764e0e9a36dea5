"""The signage admin's forms. Numbers, dates and choices are read by `kiosk.forms` fields
(full-width digits read, a Chinese message beside the field that names it); what the
services refuse is put beside the field they name."""

from __future__ import annotations

from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from kiosk.forms import (
    CheckboxesField,
    ChoiceField,
    DayField,
    DecimalNumberField,
    Form,
    IdChoiceField,
    WholeNumberField,
    options,
)
from kiosk.signage.emergency import BODY_MAX
from kiosk.signage.entries import MAX_DURATION, MAX_PAGE
from kiosk.signage.models import COMMANDS, ENTRY_KIND_LABELS, LAYOUT_LABELS
from kiosk.signage.playlists import ROLES
from kiosk.signage.schedules import PRIORITY_LIMIT
from kiosk.weekdays import WEEKDAY_LABELS

PREVIEW_SIZES = ["1920x1080", "1080x1920", "1280x720", "1366x768", "768x1024"]
MAX_MINUTES = 366 * 24 * 60  # a notice up for longer than a year is a mistake


class ClaimForm(Form):
    code = StringField(
        "屏上显示的配对码",
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 12},
    )
    name = StringField("屏幕名称", render_kw={"maxlength": 100})
    group_id = IdChoiceField("分组")


class ScreenForm(Form):
    name = StringField("屏幕名称", render_kw={"maxlength": 100})
    group_id = IdChoiceField("分组")
    layout = ChoiceField("版式", choices=options([("", "跟随分组"), *LAYOUT_LABELS.items()]))


def weekdays_field(label: str) -> CheckboxesField:
    """Monday to Sunday as checkboxes, every day ticked at first."""
    return CheckboxesField(
        label, coerce=int, choices=options(WEEKDAY_LABELS.items()), default=list(WEEKDAY_LABELS)
    )


class CommandForm(Form):
    kind = ChoiceField("命令", choices=options(COMMANDS.items()))


class DisplayForm(Form):
    hours = StringField(
        "开放时间（如 8:00-12:00, 14:00-18:00；留空为一直亮屏）",
        validators=[Length(max=200)],
        render_kw={"placeholder": "8:00-12:00, 14:00-18:00"},
    )
    days = CheckboxesField(
        "开放的星期",
        coerce=int,
        choices=options(WEEKDAY_LABELS.items()),
        default=list(WEEKDAY_LABELS),
    )


class GroupForm(Form):
    name = StringField("名称（如“一楼大厅”“全部村便民服务站”）", render_kw={"maxlength": 100})
    layout = ChoiceField("版式", choices=options(LAYOUT_LABELS.items()), default="standard")
    default_playlist_id = IdChoiceField("默认播放列表")


class PlaylistForm(Form):
    name = StringField("名称", render_kw={"maxlength": 100})


class WebOriginForm(Form):
    origin = StringField("网站地址（如 https://www.gov.cn）", render_kw={"maxlength": 200})


class RoleForm(Form):
    role = ChoiceField("用途", choices=options(ROLES.items()))
    on = ChoiceField("设为或取消", choices=options([("1", "设为"), ("0", "取消")]))


class PreviewForm(Form):
    class Meta:
        csrf = False  # a GET form: it only chooses what to look at

    what = ChoiceField(
        "内容",
        choices=options([("draft", "草稿"), ("submitted", "送审版本"), ("published", "已发布")]),
        default="draft",
    )
    size = ChoiceField(
        "分辨率", choices=options((size, size) for size in PREVIEW_SIZES), default=PREVIEW_SIZES[0]
    )
    layout = ChoiceField("版式", choices=options(LAYOUT_LABELS.items()), default="standard")


class EntryForm(Form):
    kind = ChoiceField("类型", choices=options(ENTRY_KIND_LABELS.items()))
    title = StringField("标题（可留空，用内容自带标题）", validators=[Length(max=300)])
    duration = DecimalNumberField(
        "时长（秒；视频填 0 表示播放到结束；PDF 为每页秒数）",
        what="播放秒数",
        low=0,
        high=MAX_DURATION,
        required=True,
        default=15,
    )
    notice_id = IdChoiceField("公告（类型为公告时）", what="公告")
    item_code = StringField(
        "事项编码（类型为事项卡片时）",
        validators=[Length(max=64)],
        render_kw={"list": "item-codes"},
    )
    media_id = IdChoiceField("素材（图片、视频、PDF）", what="素材")
    page_from = WholeNumberField("PDF 起始页", what="起始页", low=1, high=MAX_PAGE, default=1)
    page_to = WholeNumberField("PDF 结束页", what="结束页", low=1, high=MAX_PAGE, default=1)
    url = StringField("二维码内容，或网页地址（须在白名单内）", validators=[Length(max=1000)])
    text = StringField("说明文字", validators=[Length(max=2000)])
    starts_on = DayField("开始日期（可留空）", what="开始日期")
    ends_on = DayField("结束日期（可留空）", what="结束日期")


class MoveForm(Form):
    direction = ChoiceField(
        "移动方向",
        choices=options([("", "到指定位置"), ("up", "上移"), ("down", "下移")]),
        default="",
    )
    to = WholeNumberField("位置", high=10_000)


class EnabledForm(Form):
    enabled = ChoiceField("启用或停用", choices=options([("1", "启用"), ("0", "停用")]))


class UploadForm(Form):
    file = MultipleFileField("文件", validators=[FileRequired("请选择要上传的文件。")])


class ScheduleForm(Form):
    playlist_id = IdChoiceField("播放列表")
    screen_id = IdChoiceField("屏幕（与分组二选一，都不选为全部屏幕）", what="屏幕")
    group_id = IdChoiceField("分组")
    weekdays = weekdays_field("星期")
    windows = StringField(
        "时段（如 8:30-12:00, 14:00-17:30；留空为全天）",
        validators=[Length(max=200)],
        render_kw={"placeholder": "8:30-12:00, 14:00-17:30"},
    )
    starts_on = DayField("开始日期（可留空）", what="开始日期")
    ends_on = DayField("结束日期（含当天，可留空）", what="结束日期")
    priority = WholeNumberField(
        "优先级（大者优先）", what="优先级", low=-PRIORITY_LIMIT, high=PRIORITY_LIMIT, default=0
    )
    region = StringField(  # at the centre only
        "下发区域（留空为全县所有大厅；如 示范县/城关镇）", validators=[Length(max=200)]
    )


class EmergencyForm(Form):
    title = StringField("标题", render_kw={"maxlength": 300})
    body = TextAreaField("内容", validators=[Length(max=BODY_MAX)], render_kw={"rows": 4})
    region = StringField(
        "下发区域（留空为全县所有大厅；如 示范县/青山乡）", validators=[Length(max=200)]
    )
    group_id = IdChoiceField("范围")
    minutes = WholeNumberField(
        "有效分钟数（留空为一直显示，直到撤下）", what="有效分钟数", low=1, high=MAX_MINUTES
    )
