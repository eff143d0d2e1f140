"""Parsers of input at the edge: URL parts, query strings and typed numbers.

One place decides what a year, a date, an id or a number from outside may be, so that no bad value
reaches a query or an arithmetic that raises:

- URL parts go through the path converters registered here (``<year:year>``, ``<id:pk>``,
  ``<round:round>``, ``<key:part>``): a value out of range does not match, which is a 404.
- Query strings (and the ids or years an action posts) go through ``query_year``, ``query_date``,
  ``query_int`` and ``query_ids``: a bad value is ignored and the default is used (a list page
  never fails on a hand-edited address); an action that needs the value answers 404 without it.
- Typed numbers go through ``finite_number``: "1e400", "NaN", "Infinity" and numbers with more
  digits than any column holds are refused with a Vietnamese message; typed dates through
  ``parse_date`` (a day that exists, in the sane range of years); free text posted outside a form
  through ``clean_text`` (no NUL, a length limit).

Column bounds (an integer a column can hold, a decimal's digits) are ``reports.limits``'s; this
module only adds what no column says: a sane range of years and the shape of URL parts.
"""

import datetime as dt
from decimal import Decimal

from django.db.backends.base.operations import BaseDatabaseOperations
from django.urls import register_converter

from cchc_portal.lib.numbers import parse_number

YEAR_MIN, YEAR_MAX = 2000, 2100
# Ids are BigAutoField (settings.DEFAULT_AUTO_FIELD); anything above cannot be a row.
ID_MIN, ID_MAX = 1, BaseDatabaseOperations.integer_field_ranges["BigAutoField"][1]
# A typed score or statistic never has more than 18 whole digits (no DecimalField of the portal holds
# more; integers are then held to their own column by reports.limits).
MAX_WHOLE_DIGITS = 18
MAX_INPUT_CHARS = 64  # a number typed by a person; anything longer is not one


class InvalidInput(ValueError):
    """A value from outside that the portal refuses; ``str()`` is the Vietnamese message."""


def parse_int(value, low=None, high=None):
    """``value`` (text or int) as an int within [low, high]; ``InvalidInput`` otherwise."""
    if isinstance(value, bool):
        raise InvalidInput(f"“{value}” không phải là số nguyên.")
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text  # one sign at most ("--1" is not a number)
        if not text or len(text) > MAX_INPUT_CHARS or not digits.isdigit() or not text.isascii():
            raise InvalidInput(f"“{value[:MAX_INPUT_CHARS]}” không phải là số nguyên.")
        number = int(text)
    elif isinstance(value, int):
        number = value
    else:
        raise InvalidInput(f"“{value!r}” không phải là số nguyên.")
    if (low is not None and number < low) or (high is not None and number > high):
        raise InvalidInput(f"Giá trị {number} nằm ngoài giới hạn {low}–{high}.")
    return number


def parse_year(value):
    """A year between ``YEAR_MIN`` and ``YEAR_MAX``."""
    try:
        return parse_int(value, YEAR_MIN, YEAR_MAX)
    except InvalidInput as error:
        raise InvalidInput(f"Năm phải là số từ {YEAR_MIN} đến {YEAR_MAX}.") from error


def parse_date(value):
    """An ISO date (2024-06-30) or a Vietnamese one (30/06/2024) that exists, with a sane year."""
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if YEAR_MIN <= day.year <= YEAR_MAX:
            return day
        break
    raise InvalidInput(f"“{text[:MAX_INPUT_CHARS]}” không phải là một ngày hợp lệ (dd/mm/yyyy, năm {YEAR_MIN}–{YEAR_MAX}).")


def finite_number(text):
    """A number typed the Vietnamese or the plain way (``parse_number``), finite and of a size a
    column can hold; None for an empty input. ``InvalidInput`` for "NaN", "Infinity", "1e400" …"""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, str) and len(text.strip()) > MAX_INPUT_CHARS:
        raise InvalidInput(f"“{text.strip()[:20]}…” không phải là số.")
    try:
        number = parse_number(text)
    except ValueError as error:
        raise InvalidInput(f"“{text}” không phải là số.") from error
    if number is None:
        return None
    if not number.is_finite():
        raise InvalidInput(f"“{text}” không phải là số hữu hạn.")
    if number != 0 and number.adjusted() >= MAX_WHOLE_DIGITS:
        raise InvalidInput(f"“{text}” quá lớn (tối đa {MAX_WHOLE_DIGITS} chữ số phần nguyên).")
    if number != 0 and number.adjusted() < -MAX_WHOLE_DIGITS:
        return Decimal(0)  # 1e-400: nothing a column with a few decimal places can tell from zero
    return number


def clean_text(value, max_length=None, label="Nội dung"):
    """Text typed by a person: no NUL character (no column can hold one), at most ``max_length``."""
    text = str(value or "")
    if "\x00" in text:
        raise InvalidInput(f"{label} có ký tự NUL (\\u0000), không lưu được.")
    if max_length is not None and len(text) > max_length:
        raise InvalidInput(f"{label} dài {len(text)} ký tự, vượt quá giới hạn {max_length} ký tự.")
    return text


# --- query strings: a bad value is ignored ----------------------------------------------------------

def query_year(params, name, default=None):
    """The year in query parameter ``name``, or ``default`` when it is absent or not a sane year."""
    try:
        return parse_year(params.get(name))
    except InvalidInput:
        return default


def query_date(params, name, default=None):
    """The date in query parameter ``name`` (ISO or dd/mm/yyyy), or ``default``."""
    if not params.get(name):
        return default
    try:
        return parse_date(params.get(name))
    except InvalidInput:
        return default


def query_int(params, name, default=None, low=ID_MIN, high=ID_MAX):
    """The integer in query (or POST) parameter ``name`` within [low, high], or ``default``."""
    try:
        return parse_int(params.get(name), low, high)
    except InvalidInput:
        return default


def query_ids(params, name):
    """The row ids among the values of (list) parameter ``name``; values that cannot be an id are dropped."""
    ids = []
    for value in params.getlist(name):
        try:
            ids.append(parse_int(value, ID_MIN, ID_MAX))
        except InvalidInput:
            continue
    return ids


# --- URL parts: a value out of range does not match (404) -------------------------------------------

class _BoundedIntConverter:
    regex = "[0-9]{1,19}"
    low, high = ID_MIN, ID_MAX

    def to_python(self, value):
        return parse_int(value, self.low, self.high)  # InvalidInput is a ValueError: no match

    def to_url(self, value):
        return str(parse_int(value, self.low, self.high))


class IdConverter(_BoundedIntConverter):
    """A row id: 1 … the largest BigAutoField."""


class YearConverter(_BoundedIntConverter):
    """A year between ``YEAR_MIN`` and ``YEAR_MAX``."""

    regex = "[0-9]{4}"
    low, high = YEAR_MIN, YEAR_MAX


class RoundConverter(_BoundedIntConverter):
    """An appraisal round: 1 or 2."""

    regex = "[12]"
    low, high = 1, 2


class KeyConverter:
    """A registry key in a URL (a part, a format): letters, digits, "_" and "-", at most 32."""

    regex = "[A-Za-z0-9_-]{1,32}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
register_converter(RoundConverter, "round")
register_converter(KeyConverter, "key")
