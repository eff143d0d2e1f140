"""Value kinds and cross-indicator rules as plain functions (no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_portal.lib.numbers import format_number
from indicators.appendix.values import (
    check_rule,
    definition_problems,
    display,
    input_text,
    json_value,
    parse_choices,
    parse_rule,
    parse_value,
    typed,
)

CHOICES = {0: "Không", 1: "Có"}


@pytest.mark.parametrize("kind, raw, canonical", [
    ("count", "0", "0"), ("count", "1.234", "1234"), ("count", " 18 ", "18"), ("count", 7, "7"),
    ("percent", "12,5", "12.5"), ("percent", "100", "100"), ("percent", 12.5, "12.5"), ("percent", "0,25", "0.25"),
    ("choice", "1", "1"), ("choice", 0, "0"),
    ("text", " QĐ số 139/QĐ-UBND ngày 30/12/2023 ", "QĐ số 139/QĐ-UBND ngày 30/12/2023"),
    ("count", "", None), ("percent", None, None), ("text", "   ", None),
])
def test_valid_values_are_made_canonical(kind, raw, canonical):
    assert parse_value(kind, raw, CHOICES) == canonical


@pytest.mark.parametrize("kind, raw, message", [
    ("count", "-1", "phải là số nguyên không âm (đang là “-1”)"),
    ("count", "2,5", "phải là số nguyên không âm"),
    ("count", "mười", "phải là số nguyên không âm"),
    ("count", True, "không hợp lệ"),
    ("percent", "100,5", "phải là số từ 0 đến 100 (đang là “100,5”)"),
    ("percent", "-0,1", "phải là số từ 0 đến 100"),
    ("choice", "2", "phải là một trong các lựa chọn 0=Không, 1=Có (đang là “2”)"),
    ("choice", "có", "phải là một trong các lựa chọn"),
    ("text", 5, "phải là chuỗi ký tự"),
    ("text", "x" * 501, "dài quá 500 ký tự"),
    ("group", "1", "là nhóm chỉ tiêu"),
])
def test_invalid_values_are_refused_with_vietnamese_messages(kind, raw, message):
    with pytest.raises(ValueError) as error:
        parse_value(kind, raw, CHOICES)
    assert message in str(error.value)


@given(st.integers(min_value=0, max_value=10**9))
def test_counts_round_trip_through_the_vietnamese_display(n):
    shown = input_text("count", typed("count", parse_value("count", n)))
    assert parse_value("count", shown) == str(n)


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_percents_round_trip_through_the_vietnamese_display(value):
    canonical = parse_value("percent", format_number(value))
    assert Decimal(canonical) == value
    assert parse_value("percent", input_text("percent", typed("percent", canonical))) == canonical


def test_json_values_and_display():
    assert json_value("count", 5) == 5 and json_value("choice", 1) == 1
    assert json_value("percent", Decimal("12.5")) == 12.5 and json_value("percent", Decimal("100")) == 100
    assert display("count", 1234) == "1.234" and display("percent", Decimal("12.5")) == "12,5"
    assert display("choice", 1, CHOICES) == "Có" and display("count", None) == "—"


def test_choices_are_parsed_and_malformed_lists_refused():
    assert parse_choices("0=Chưa có|1=2 cấp|2=3 cấp") == {0: "Chưa có", 1: "2 cấp", 2: "3 cấp"}
    with pytest.raises(ValueError):
        parse_choices("Có|Không")
    with pytest.raises(ValueError):
        parse_choices("0=Có|0=Không")


def test_rules_parse_and_check_with_numbers_in_the_message():
    assert parse_rule("<=1.1.1", "1.1.2").lhs == ("1.1.2",)
    rule = parse_rule("sum(1.3.2, 1.3.3)<=1.3.1", "1.3.2")
    assert rule.lhs == ("1.3.2", "1.3.3") and rule.rhs == "1.3.1"
    names = {"1.2.3": "Số vấn đề phát hiện đã xử lý xong"}
    message = check_rule(parse_rule("<=1.2.2", "1.2.3"), {"1.2.3": 5, "1.2.2": 3}, names)
    assert message == "Chỉ tiêu 1.2.3 (Số vấn đề phát hiện đã xử lý xong = 5) lớn hơn chỉ tiêu 1.2.2 (= 3)."
    assert check_rule(parse_rule("<=1.2.2", "1.2.3"), {"1.2.3": 3, "1.2.2": 3}, names) is None
    assert check_rule(parse_rule("<=1.2.2", "1.2.3"), {"1.2.3": 3}, names) is None  # not typed yet
    assert check_rule(rule, {"1.3.1": 41, "1.3.2": 38, "1.3.3": 3}, {}) is None
    with pytest.raises(ValueError):
        parse_rule("1.1.2 < 1.1.1", "1.1.2")


def test_catalogue_rows_are_checked():
    assert "value_type" in definition_problems(value_type="number", choices="", source="", rule="")
    assert "choices" in definition_problems(value_type="count", choices="0=Không", source="", rule="")
    assert "source" in definition_problems(value_type="count", choices="", source="Direction task", rule="")
    assert "rule" in definition_problems(value_type="choice", choices="0=Không|1=Có", source="", rule="<=1.1")
    assert definition_problems(value_type="count", choices="", source="direction.task_total", rule="<=1.1.1") == {}
