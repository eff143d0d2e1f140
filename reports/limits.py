"""Field limits shared by forms and importers, read from the model fields (never typed per field).

A value that the database column cannot hold is refused before anything is saved, with a Vietnamese
message naming the place (a JSON path in an import, a field name elsewhere) and the numbers:

- a string longer than the column's ``max_length``;
- an integer outside the column's range (PositiveIntegerField: 0..2147483647 — the portable range of
  Django's backends, so a file accepted on SQLite is accepted on PostgreSQL too), or a bound set by a
  Min/MaxValueValidator on the field;
- a decimal with more whole digits than the column's ``max_digits - decimal_places``;
- a NUL character in any string (PostgreSQL text cannot hold one).

Parts call ``check_value(field, value, path)`` (or ``check_mapping`` / ``check_rows``) from
``validate_import`` with the document's JSON paths (``nul=False``: the interchange walks the whole
document for NUL characters with ``check_document``); ``check_instance`` checks a model instance
before it is saved (the importers' last line of defence). Forms take the same limits with
``ColumnLimitsMixin`` (ModelForms) or ``bound_form_fields(form, columns)`` (plain forms that write
a column): integer bounds (also the input's min/max), a decimal's digits, a string's length.
Django's form CharField already refuses NUL characters.

Files from outside (uploads and the commands' files) have limits of their own, the same for the
upload views and the commands: ``check_size`` (bytes), ``load_json`` (size, nesting depth checked
by a scan before the parser recurses, no NaN/Infinity, integers of at most a few thousand digits)
and ``MAX_TABLE_ROWS`` for CSV/XLSX tables. They raise ``Refused`` with Vietnamese Problems.
"""

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from .parts import Problem

NUL = "\x00"

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a report, an assessment, a criteria table or a catalogue file
MAX_JSON_DEPTH = 64  # the deepest valid document nests about 6 levels
MAX_TABLE_ROWS = 5000  # criteria tables hold ~100 rows, the Phụ lục 01b catalogue ~200
MAX_TABLE_COLUMNS = 50


class Refused(ValueError):
    """Input refused at the edge; ``problems`` are Problems with Vietnamese messages."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


def check_size(size, *, limit=MAX_UPLOAD_BYTES, path="(tệp)"):
    """Refused when a file of ``size`` bytes is over ``limit``."""
    if size > limit:
        raise Refused([Problem(path, f"Tệp quá lớn ({size:,} byte); tối đa {limit // (1024 * 1024)} MB.")])


def json_depth(text):
    """The deepest nesting of arrays/objects in JSON ``text`` (strings skipped), without parsing."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name):
    raise ValueError(f"“{name}” không phải là số hữu hạn")


def _finite_float(text):
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"“{text[:40]}” không phải là số hữu hạn")
    return number


def load_json(raw, *, limit=MAX_UPLOAD_BYTES, max_depth=MAX_JSON_DEPTH):
    """``raw`` (bytes or str) as a JSON value, or Refused: over ``limit`` bytes, not UTF-8, nested
    deeper than ``max_depth``, NaN/Infinity, an integer too long to read, or not JSON at all."""
    check_size(len(raw), limit=limit)
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise Refused([Problem("(tệp)", f"Tệp không phải văn bản UTF-8 (byte {error.start + 1}).")]) from error
    depth = json_depth(text)
    if depth > max_depth:
        raise Refused([Problem("(tệp)", f"JSON lồng nhau quá sâu ({depth} cấp; tối đa {max_depth}).")])
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise Refused([Problem("(tệp)", f"Không đọc được JSON: dòng {error.lineno}, cột {error.colno}: "
                                        f"{_JSON_MESSAGES.get(error.msg, error.msg)}.")]) from error
    except (ValueError, RecursionError) as error:  # NaN/Infinity, an integer over Python's digit limit
        raise Refused([Problem("(tệp)", f"Không đọc được JSON: {_vietnamese(error)}.")]) from error


_JSON_MESSAGES = {
    "Expecting value": "thiếu giá trị",
    "Expecting property name enclosed in double quotes": "tên mục phải đặt trong dấu nháy kép",
    "Expecting ',' delimiter": "thiếu dấu phẩy",
    "Expecting ':' delimiter": "thiếu dấu hai chấm",
    "Extra data": "có dữ liệu thừa sau JSON",
    "Unterminated string starting at": "chuỗi chưa đóng",
    "Invalid control character at": "có ký tự điều khiển trong chuỗi",
    "Invalid \\escape": "ký tự thoát không hợp lệ",
    "Invalid \\uXXXX escape": "mã \\uXXXX không hợp lệ",
}


def _vietnamese(error):
    text = str(error)
    if isinstance(error, RecursionError):
        return "lồng nhau quá sâu"
    if "digits" in text:
        return "có số nguyên quá dài"
    return text if "hữu hạn" in text else "giá trị không hợp lệ"
_RANGES = BaseDatabaseOperations.integer_field_ranges


def model_field(model, name):
    """``model._meta.get_field(name)``: the field whose limits apply."""
    return model._meta.get_field(name)


def max_length(field):
    """The column's character limit, or None (TextField, JSONField …)."""
    return getattr(field, "max_length", None) if isinstance(field, (models.CharField, models.TextField)) else None


def integer_bounds(field):
    """(minimum, maximum) an integer field accepts, the tightest of the portable column range and
    the field's own Min/MaxValueValidators; None for a field that is not an integer field."""
    if not isinstance(field, models.IntegerField):
        return None
    low, high = _RANGES.get(field.get_internal_type(), (None, None))
    for validator in field._validators:  # explicit validators only: the connection's are per backend
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def _label(field):
    return str(getattr(field, "verbose_name", "") or field.name)


def check_value(field, value, path, *, nul=True):
    """A Problem if the column of ``field`` cannot hold ``value``, else None. ``None`` and absent
    values pass (whether a value is required is the schema's or the part's rule). ``nul=False``
    leaves NUL characters to ``check_document`` (an import walks the whole document for them)."""
    if value is None:
        return None
    label = _label(field)
    if isinstance(field, models.DecimalField):
        return _check_decimal(field, value, path, label)
    if isinstance(value, str):
        if nul and NUL in value:
            return Problem(path, f"{label}: có ký tự NUL (\\u0000) ở vị trí {value.index(NUL) + 1}, không lưu được.")
        limit = max_length(field)
        if limit is not None and len(value) > limit:
            return Problem(path, f"{label}: dài {len(value)} ký tự, vượt quá giới hạn {limit} ký tự.")
        return None
    bounds = integer_bounds(field)
    if bounds is not None:
        if isinstance(value, bool) or not isinstance(value, int):
            return Problem(path, f"{label}: phải là số nguyên (đang là {value!r}).")
        low, high = bounds
        if (low is not None and value < low) or (high is not None and value > high):
            return Problem(path, f"{label}: giá trị {value} nằm ngoài giới hạn {low}–{high}.")
    return None


def _check_decimal(field, value, path, label):
    """A number the column's ``max_digits``/``decimal_places`` can hold (after rounding to its places)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        return Problem(path, f"{label}: phải là số (đang là {value!r}).")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return Problem(path, f"{label}: “{value}” không phải là số.")
    if not number.is_finite():
        return Problem(path, f"{label}: “{value}” không phải là số hữu hạn.")
    whole_digits = field.max_digits - field.decimal_places
    limit = Decimal(10) ** whole_digits
    # Compared before rounding too: quantizing 1e30 to the column's places exceeds the context's precision.
    if abs(number) >= limit or abs(number.quantize(Decimal(1).scaleb(-field.decimal_places),
                                                   rounding=ROUND_HALF_UP)) >= limit:
        largest = limit - Decimal(1).scaleb(-field.decimal_places)
        return Problem(path, f"{label}: giá trị {value} vượt quá giới hạn {largest} "
                             f"({whole_digits} chữ số phần nguyên, {field.decimal_places} chữ số thập phân).")
    return None


def check_mapping(model, mapping, data, *, nul=True):
    """Problems of the values of ``data`` at JSON paths ``mapping`` = {"document.number": "doc_number"}.
    A path is dotted keys; a missing key is skipped."""
    problems = []
    for path, name in mapping.items():
        found, value = _at(data, path)
        if found:
            problem = check_value(model_field(model, name), value, path, nul=nul)
            if problem is not None:
                problems.append(problem)
    return problems


def check_rows(model, rows, base_path, mapping, *, nul=True):
    """Problems of a list of JSON objects saved as rows of ``model``: ``mapping`` = {json key: field}.
    Paths are "base_path[index].key"."""
    problems = []
    for index, row in enumerate(rows or []):
        if not isinstance(row, dict):
            continue
        for key, name in mapping.items():
            if key in row:
                problem = check_value(model_field(model, name), row[key], f"{base_path}[{index}].{key}", nul=nul)
                if problem is not None:
                    problems.append(problem)
    return problems


def check_document(data, path=""):
    """Every NUL character in the strings and keys of a JSON value, with its JSON path."""
    problems = []
    if isinstance(data, str):
        if NUL in data:
            problems.append(Problem(path or "(gốc)", f"có ký tự NUL (\\u0000) ở vị trí {data.index(NUL) + 1}, không lưu được."))
    elif isinstance(data, dict):
        for key, value in data.items():
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and NUL in key:
                problems.append(Problem(child, "tên mục có ký tự NUL (\\u0000)."))
            problems.extend(check_document(value, child))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            problems.extend(check_document(value, f"{path}[{index}]"))
    return problems


def check_instance(instance, prefix=""):
    """Problems of the concrete fields of an unsaved or changed model instance (paths are
    ``prefix + field name``). Used after an import applied its values, before the save."""
    problems = []
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(field, models.JSONField):
            problems.extend(check_document(value, f"{prefix}{field.name}"))
            continue
        if not isinstance(value, (str, int, Decimal)):
            continue
        problem = check_value(field, value, f"{prefix}{field.name}")
        if problem is not None:
            problems.append(problem)
    return problems


def _at(data, path):
    value = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return False, None
        value = value[key]
    return True, value


def bound_form_field(form_field, field):
    """Hold one form field to the column of model ``field``: integer bounds (also as the input's
    min/max, so the browser and the server agree), a decimal's digits, a string's ``max_length``.
    Messages are Vietnamese and name the field and the limit."""
    label = form_field.label or _label(field)
    bounds = integer_bounds(field)
    if bounds is not None and isinstance(form_field, forms.IntegerField):
        low, high = bounds
        if low is not None and (form_field.min_value is None or form_field.min_value < low):
            form_field.min_value = low
            form_field.validators.append(MinValueValidator(low))
            form_field.error_messages["min_value"] = f"“{label}” không được nhỏ hơn {low}."
        if high is not None and (form_field.max_value is None or form_field.max_value > high):
            form_field.max_value = high
            form_field.validators.append(MaxValueValidator(high))
            form_field.error_messages["max_value"] = (f"“{label}” không được lớn hơn {high} "
                                                      f"(giới hạn lưu trữ của cột).")
        for attr, limit in (("min", form_field.min_value), ("max", form_field.max_value)):
            if limit is not None:  # also on a localized text input ("1.234"), which Django leaves bare
                form_field.widget.attrs[attr] = limit
    elif isinstance(field, models.DecimalField) and isinstance(form_field, forms.DecimalField):
        # A DecimalField built with max_digits already refuses more digits (Django's DecimalValidator).
        if form_field.max_digits is None and not any(isinstance(v, _DecimalColumnValidator)
                                                     for v in form_field.validators):
            form_field.validators.append(_DecimalColumnValidator(field, label))
    elif max_length(field) is not None and isinstance(form_field, forms.CharField):
        if form_field.max_length is None or form_field.max_length > field.max_length:
            form_field.max_length = field.max_length
            form_field.validators.append(_LengthValidator(field.max_length, label))
            form_field.widget.attrs["maxlength"] = str(field.max_length)


class _DecimalColumnValidator:
    """Refuses a number the decimal column cannot hold, with ``check_value``'s message."""

    def __init__(self, field, label):
        self.field, self.label = field, label

    def __call__(self, value):
        problem = _check_decimal(self.field, value, "", self.label)
        if problem is not None:
            raise ValidationError(problem.message, code="max_digits")


class _LengthValidator:
    def __init__(self, limit, label):
        self.limit, self.label = limit, label

    def __call__(self, value):
        if value is not None and len(value) > self.limit:
            raise ValidationError(f"“{self.label}” dài {len(value)} ký tự, vượt quá giới hạn {self.limit} ký tự.",
                                  code="max_length")


def bound_form_fields(form, columns=None):
    """Hold the fields of ``form`` to their columns (``bound_form_field``), so a form refuses what an
    import refuses. A ModelForm's fields are matched to its model by name; a plain form (or extra
    fields) passes ``columns`` = {form field name: model field}."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, form_field in form.fields.items():
        field = (columns or {}).get(name)
        if field is None and model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
        if field is not None and not field.is_relation:
            bound_form_field(form_field, field)


class ColumnLimitsMixin:
    """For ModelForms and formsets' forms: fields held to their columns (``bound_form_fields``).
    A form that replaces fields in its own ``__init__`` calls ``bound_form_fields(self)`` again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_form_fields(self)
