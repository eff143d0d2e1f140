"""Rules of the statistics appendix as plain functions over plain values: parsing a typed value by
kind, the catalogue's cross-indicator rules, and Vietnamese display. Forms, imports, the report
part and the documents call these; nothing else repeats them.

Value kinds: ``count`` an integer ≥ 0 ("1.234" accepted); ``percent`` a number in 0..100 ("12,5"
accepted); ``choice`` one of the catalogue's integer keys ("0=Không|1=Có"); ``text`` free text.
Canonical storage text: "1234", "12.5", "1", the stripped text.

Rules: ``<=1.1.1`` (this indicator ≤ 1.1.1) or ``sum(1.3.2,1.3.3)<=1.3.1`` (explicit left side).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from cchc_portal.lib.numbers import DASH, format_number
from reports import validators

CODE_RE = re.compile(r"^\d+(\.\d+)*(\.[a-z])?$")
SOURCE_RE = re.compile(r"^[a-z_]+\.[a-z_]+$")
_CODE = r"\d+(?:\.\d+)*(?:\.[a-z])?"
RULE_RE = re.compile(rf"^\s*(?:(?P<single>{_CODE})|sum\((?P<sum>{_CODE}(?:\s*,\s*{_CODE})*)\))?\s*<=\s*(?P<rhs>{_CODE})\s*$")
KINDS = ("group", "count", "percent", "choice", "text")
TEXT_MAX = 500


def parse_choices(text):
    """"0=Không|1=Có" → {0: "Không", 1: "Có"}; ValueError on a malformed list."""
    result = {}
    for chunk in (text or "").split("|"):
        if not chunk.strip():
            continue
        key, sep, label = chunk.partition("=")
        key = key.strip()
        if not sep or not key.lstrip("-").isdigit() or not label.strip():
            raise ValueError(f"lựa chọn “{chunk.strip()}” phải có dạng số=nhãn (vd. 0=Không)")
        if int(key) in result:
            raise ValueError(f"lựa chọn {key} bị lặp")
        result[int(key)] = label.strip()
    return result


@dataclass(frozen=True)
class Rule:
    """``sum(lhs) <= rhs`` over indicator codes."""

    lhs: tuple[str, ...]
    rhs: str

    @property
    def codes(self):
        return (*self.lhs, self.rhs)


def parse_rule(text, own_code):
    """The rule written on indicator ``own_code``, or None when empty; ValueError when malformed."""
    if not (text or "").strip():
        return None
    match = RULE_RE.match(text)
    if not match:
        raise ValueError(f"ràng buộc “{text}” không đúng dạng “<=1.1.1” hoặc “sum(1.3.2,1.3.3)<=1.3.1”")
    if match["sum"]:
        lhs = tuple(code.strip() for code in match["sum"].split(","))
    else:
        lhs = (match["single"] or own_code,)
    return Rule(lhs=lhs, rhs=match["rhs"])


def definition_problems(*, value_type, choices, source, rule):
    """{field: Vietnamese message} for a malformed catalogue row (the codes a rule names are
    checked against the whole catalogue by the importer)."""
    problems = {}
    if value_type not in KINDS:
        problems["value_type"] = f"Kiểu số liệu “{value_type}” không hợp lệ; dùng một trong: {', '.join(KINDS)}."
    if value_type == "choice":
        try:
            if not parse_choices(choices):
                problems["choices"] = "Chỉ tiêu kiểu lựa chọn phải có danh sách lựa chọn (vd. 0=Không|1=Có)."
        except ValueError as error:
            problems["choices"] = f"Danh sách lựa chọn sai: {error}."
    elif (choices or "").strip():
        problems["choices"] = "Chỉ chỉ tiêu kiểu lựa chọn mới có danh sách lựa chọn."
    if source and not SOURCE_RE.match(source):
        problems["source"] = f"Nguồn số liệu “{source}” phải có dạng phần.tên (vd. direction.task_total)."
    if source and value_type == "group":
        problems["source"] = "Nhóm chỉ tiêu không có nguồn số liệu."
    try:
        parse_rule(rule, "0")
    except ValueError as error:
        problems["rule"] = f"Ràng buộc sai: {error}."
    if (rule or "").strip() and value_type not in ("count", "percent"):
        problems["rule"] = "Chỉ đặt ràng buộc cho chỉ tiêu kiểu số lượng hoặc tỷ lệ."
    return problems


def parse_value(value_type, raw, choice_map=None):
    """Canonical text for ``raw`` (a string typed in a form, or a JSON value); None when empty.

    Raises ValueError with a Vietnamese message (no indicator code: the caller adds it)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if isinstance(raw, bool):
        raise ValueError(f"giá trị {raw!r} không hợp lệ")
    if value_type == "text":
        if not isinstance(raw, str):
            raise ValueError("phải là chuỗi ký tự")
        text = raw.strip()
        if len(text) > TEXT_MAX:
            raise ValueError(f"dài quá {TEXT_MAX} ký tự")
        return text
    if value_type == "group":
        raise ValueError("là nhóm chỉ tiêu, không nhập số liệu")
    number = _number(raw)
    if value_type == "count":
        if number is None or number != number.to_integral_value() or number < 0:
            raise ValueError(f"phải là số nguyên không âm (đang là “{raw}”)")
        return str(int(number))
    if value_type == "percent":
        if number is None or number < 0 or number > 100:
            raise ValueError(f"phải là số từ 0 đến 100 (đang là “{raw}”)")
        return format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))
    if value_type == "choice":
        choice_map = choice_map or {}
        if number is None or number != number.to_integral_value() or int(number) not in choice_map:
            listed = ", ".join(f"{key}={label}" for key, label in choice_map.items())
            raise ValueError(f"phải là một trong các lựa chọn {listed} (đang là “{raw}”)")
        return str(int(number))
    raise ValueError(f"kiểu số liệu “{value_type}” không hợp lệ")


def _number(raw):
    """A finite number (no NaN, Infinity or 1e400: reports.validators.finite_number), else None."""
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
        return number if number.is_finite() else None
    try:
        return validators.finite_number(raw)
    except ValueError:
        return None


def typed(value_type, text):
    """Canonical text → int (count, choice), Decimal (percent), str (text); None when empty."""
    if text is None or text == "":
        return None
    if value_type in ("count", "choice"):
        return int(text)
    if value_type == "percent":
        return Decimal(text)
    return text


def json_value(value_type, value):
    """A typed value as cchc-report/1 carries it: ints for counts/choices, numbers for percents."""
    if value is None:
        return None
    if value_type in ("count", "choice"):
        return int(value)
    if value_type == "percent":
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    return str(value)


def display(value_type, value, choice_map=None):
    """Vietnamese display of a typed value: "1.234", "12,5", "Có", text; "—" when empty."""
    if value is None or value == "":
        return DASH
    if value_type in ("count", "percent"):
        try:
            return format_number(Decimal(str(value)))
        except ValueError:
            return str(value)
    if value_type == "choice":
        label = (choice_map or {}).get(_as_int(value))
        return label if label is not None else str(value)
    return str(value)


def input_text(value_type, value):
    """How a stored value is shown back in an input: "1.234", "12,5", "1", the text."""
    if value is None or value == "":
        return ""
    if value_type in ("count", "percent"):
        return format_number(Decimal(str(value)))
    return str(value)


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check_rule(rule, values, names):
    """The Vietnamese message when ``rule`` fails on ``values`` ({code: number}), else None.

    A rule with a missing value is not checked (the officer may not have typed it yet)."""
    if any(values.get(code) is None for code in rule.codes):
        return None
    left = [Decimal(str(values[code])) for code in rule.lhs]
    right = Decimal(str(values[rule.rhs]))
    total = sum(left, Decimal(0))
    if total <= right:
        return None
    if len(rule.lhs) == 1:
        code = rule.lhs[0]
        return (f"Chỉ tiêu {code} ({names.get(code, code)} = {format_number(total)}) "
                f"lớn hơn chỉ tiêu {rule.rhs} (= {format_number(right)}).")
    parts = " + ".join(format_number(v) for v in left)
    return (f"Tổng chỉ tiêu {' + '.join(rule.lhs)} ({parts} = {format_number(total)}) "
            f"lớn hơn chỉ tiêu {rule.rhs} ({names.get(rule.rhs, rule.rhs)} = {format_number(right)}).")
