"""The base of every web form (flask-wtf's CSRF check and WTForms' own Chinese messages),
and the fields that read what people type through `kiosk.parsing`.

A number, date or choice that cannot be read is an error beside its field that names it
(“持续分钟数要在 1 到 527040 之间。”), never a server error: full-width digits (１０) are
read as digits, other digits (², ①) and numbers past 18 digits are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from kiosk.errors import InputError
from kiosk.parsing import LARGEST, decimal_number, optional_date, whole_number


class Form(FlaskForm):
    class Meta:
        # WTForms ships Chinese messages ("该字段是必填字段。"); the app turns off
        # flask-wtf's Babel lookup (WTF_I18N_ENABLED) so these are the ones used.
        locales = ("zh",)

    def values(self) -> dict[str, Any]:
        """The typed values by field name (not the CSRF token), for a service's mapping."""
        return {name: value for name, value in self.data.items() if name != "csrf_token"}


class _TypedField(Field):
    """A text box whose value `parse` reads; `what` names it in messages (default: label)."""

    widget = widgets.TextInput()

    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[Any] | None = None,
        *,
        what: str | None = None,
        required: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.what = what or self.label.text
        self.required = required

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def shown(self, value: Any) -> str:
        return str(value)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else self.shown(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]) if valuelist else ""
        self.data = None
        if not text.strip():
            if self.required:
                raise ValueError(f"请填写{self.what}。")
            return
        try:
            self.data = self.parse(text)
        except InputError as error:
            raise ValueError(str(error)) from None


class _NumberField(_TypedField):
    inputmode = "numeric"  # the keyboard a phone or tablet shows

    def __init__(
        self, label: str | None = None, *, low: float = 0, high: float = LARGEST, **kwargs: Any
    ) -> None:
        kwargs.setdefault("render_kw", {"inputmode": self.inputmode, "autocomplete": "off"})
        super().__init__(label, **kwargs)
        self.low, self.high = low, high


class WholeNumberField(_NumberField):
    """An integer from `low` to `high` (None when left empty and not required)."""

    def parse(self, text: str) -> int:
        return whole_number(text, self.what, low=int(self.low), high=int(self.high))


class DecimalNumberField(_NumberField):
    """A number such as 7.5 (seconds) from `low` to `high`."""

    inputmode = "decimal"

    def parse(self, text: str) -> float:
        return decimal_number(text, self.what, low=self.low, high=self.high)

    def shown(self, value: Any) -> str:
        return f"{value:g}"


class DayField(_TypedField):
    """A date; the browser offers a calendar, typing 2026-12-01 works everywhere."""

    widget = widgets.DateInput()

    def parse(self, text: str) -> date | None:
        return optional_date(text, self.what)

    def shown(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as choices of a drop-down or of check boxes."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_id(value: Any) -> int | None:
    """A database id from a choice ("" is none); ValueError for anything else."""
    if value is None or value == "":
        return None
    try:
        return whole_number(value, "编号", low=1)
    except InputError as error:
        raise ValueError(str(error)) from None


class ChoiceField(SelectField):
    """A drop-down whose refusal names it: “请从列表里选择分组。”."""

    def __init__(
        self,
        label: str,
        validators: Sequence[Any] | None = None,
        coerce: Callable[[Any], Any] = str,
        **kwargs: Any,
    ) -> None:
        message = f"请从列表里选择{kwargs.pop('what', label)}。"
        kwargs.setdefault("invalid_value_message", message)
        kwargs.setdefault("invalid_choice_message", message)
        super().__init__(label, validators, coerce, **kwargs)


class IdChoiceField(ChoiceField):
    """A drop-down of database rows; the "" choice (if offered) is None."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, coerce=optional_id, **kwargs)


class CheckboxesField(SelectMultipleField):
    """Several choices as check boxes (weekdays, notices to read out)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("invalid_value_message", f"请从列表里选择{label}。")
        kwargs.setdefault("invalid_choice_message", f"没有“%(value)s”这一项，请从{label}里勾选。")
        super().__init__(label, **kwargs)
