"""Form fields read what people type through kiosk.parsing; weekdays are ISO everywhere."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from kiosk.errors import InputError
from kiosk.forms import (
    DayField,
    DecimalNumberField,
    Form,
    IdChoiceField,
    WholeNumberField,
    options,
)
from kiosk.parsing import time_of_day
from kiosk.weekdays import weekday_names, weekdays_text


class Sample(Form):
    class Meta:
        csrf = False

    count = WholeNumberField("份数", low=1, high=99)
    seconds = DecimalNumberField("秒数", low=0, high=60, required=True)
    day = DayField("日期")
    group = IdChoiceField("分组", choices=options([("", "无"), (3, "一楼")]))


def _form(app, **typed: str) -> Sample:
    with app.test_request_context():
        form = Sample(MultiDict(typed))
        form.validate()
        return form


@pytest.mark.parametrize(
    ("typed", "field", "data", "error"),
    [
        ({"count": "１２", "seconds": "７.５"}, "count", 12, None),
        ({"count": "", "seconds": "1"}, "count", None, None),
        ({"count": "0", "seconds": "1"}, "count", None, "份数要在 1 到 99 之间。"),
        ({"count": "²", "seconds": "1"}, "count", None, "份数要填写整数（如 10），不能是“²”。"),
        ({"count": "1", "seconds": ""}, "seconds", None, "请填写秒数。"),
        ({"count": "1", "seconds": "十秒"}, "seconds", None, "秒数要填写阿拉伯数字"),
        ({"seconds": "1", "day": "2026-1-5"}, "day", "2026-01-05", None),
        ({"seconds": "1", "group": "3"}, "group", 3, None),
        ({"seconds": "1", "group": ""}, "group", None, None),
        ({"seconds": "1", "group": "4"}, "group", None, "请从列表里选择分组。"),
        ({"seconds": "1", "group": str(10**30)}, "group", None, "请从列表里选择分组。"),
    ],
)
def test_fields_read_what_people_type(app, typed, field, data, error):
    form = _form(app, **typed)
    shown = form[field].data
    if data is not None:
        assert str(shown) == str(data)
    if error is None:
        assert form[field].errors == []
    else:
        assert form[field].errors[0].startswith(error)


def test_a_refused_value_is_shown_again_as_typed(app):
    form = _form(app, count="十二", seconds="1")
    assert 'value="十二"' in str(form.count())


@pytest.mark.parametrize("typed", ["8:30", "08:30", "８：３０", " 8:30 "])
def test_times_of_day(typed):
    assert time_of_day(typed, "时间").strftime("%H:%M") == "08:30"


@pytest.mark.parametrize("typed", ["24:00", "8:60", "8点半", "830", ""])
def test_times_of_day_refused_in_chinese(typed):
    with pytest.raises(InputError, match="时间要写成 时:分"):
        time_of_day(typed, "时间")


def test_weekdays_are_iso_monday_one():
    assert weekdays_text([7, 1, 3, 3]) == "137"
    assert weekdays_text("531") == "135"
    assert weekday_names("17") == "周一、周日" and weekday_names("1234567") == "每天"
    with pytest.raises(InputError, match="请至少选择一天"):
        weekdays_text([])
    with pytest.raises(InputError, match="星期要在 1 到 7 之间"):
        weekdays_text("0")
