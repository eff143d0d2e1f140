"""Vietnamese formats: day-first dates in forms, 1.234.567,5 numbers in templates, and the number
helpers every document and export uses."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cchc_portal.lib.numbers import format_number, format_rate, parse_number


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


class DateForm(forms.Form):
    day = forms.DateField()


def test_date_field_reads_day_first():
    form = DateForm({"day": "05/06/2026"})
    assert form.is_valid()
    assert form.cleaned_data["day"] == dt.date(2026, 6, 5)


def test_date_field_accepts_a_day_above_twelve():
    form = DateForm({"day": "13/05/2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 5, 13)


def test_date_field_error_is_vietnamese():
    form = DateForm({"day": "31/02/2026"})
    assert not form.is_valid()
    assert form.errors["day"] == ["Nhập một ngày hợp lệ."]


def test_dates_render_day_first():
    assert Template("{{ day }}").render(Context({"day": dt.date(2026, 6, 5)})) == "05/06/2026"


def test_numbers_render_with_dot_thousands_and_comma_decimals():
    assert Template("{{ 1234567.5 }}").render(Context()) == "1.234.567,5"
    assert Template("{{ value }}").render(Context({"value": 1234567.5})) == "1.234.567,5"
    assert Template("{{ value }}").render(Context({"value": 10035})) == "10.035"


def test_format_number_examples():
    assert format_number(1234567.5) == "1.234.567,5"
    assert format_number(Decimal("0.125"), 2) == "0,13"
    assert format_number(-1234) == "-1.234"
    assert format_rate(Decimal("65.934")) == "65,93%"


@pytest.mark.parametrize("text, value", [
    ("1.234,5", Decimal("1234.5")), ("1.234", Decimal("1234")), ("1234.5", Decimal("1234.5")),
    ("1.234.567", Decimal("1234567")), ("0,5", Decimal("0.5")), ("", None),
])
def test_parse_number_reads_vietnamese_and_plain_input(text, value):
    assert parse_number(text) == value


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips(value):
    assert parse_number(format_number(value)) == value
