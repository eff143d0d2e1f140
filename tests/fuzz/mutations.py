"""Hypothesis strategies that turn a valid document or table into a hostile one, and helpers the
fuzz targets share: values no column holds (huge integers, 1e30, NaN/Infinity, NUL characters,
10,000-character strings), wrong types, deep nesting, missing or unknown keys, broken files."""

import copy
import json
import re

from django.apps import apps
from hypothesis import strategies as st

VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)


def is_vietnamese(text):
    """A message written in Vietnamese (it has Vietnamese letters)."""
    return bool(VIETNAMESE.search(str(text)))


def counts(labels):
    """{"app.Model": row count} of the models named."""
    return {label: apps.get_model(label).objects.count() for label in labels}


def deep_json(levels):
    """``levels`` nested JSON arrays, as bytes."""
    return ("[" * levels + "]" * levels).encode()


class Deep:
    """A value serialized as ``levels`` nested arrays (placed in the text after json.dumps)."""

    def __init__(self, levels):
        self.levels = levels


HUGE_INTEGERS = [2**31 - 1, 2**31, -(2**31) - 1, 2**32, 2**63 - 1, 2**63, 2**64, -1, 10**9, 10**9 + 1, 10**18,
                 10**30, 10**400, 0]
ODD_FLOATS = [1e308, -1e308, 1e30, 1e-300, -0.0, 0.1, 1.005, 2.675, 99999.995, float("nan"), float("inf"),
              float("-inf")]
ODD_TEXTS = ["", " ", "\x00", "a\x00b", "x" * 10_000, "1e400", "1e30", "NaN", "Infinity", "-Infinity", "2147483648",
             "9223372036854775808", "-1", "2024-02-30", "10000-01-01", "<script>alert(1)</script>",
             "=HYPERLINK(\"http://x\")", "Ω≈ç√∫", "\ud7ff\ue000", "\u202e", "0x10", "1_000", " 12 "]

hostile_values = st.one_of(
    st.sampled_from(HUGE_INTEGERS),
    st.integers(),
    st.sampled_from(ODD_FLOATS),
    st.floats(),
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=40),
    st.text(max_size=20).map(lambda s: s + "\x00"),
    st.none(),
    st.booleans(),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=2),
    st.integers(2, 200).map(Deep),
)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _parent(document, path):
    node = document
    for key in path[:-1]:
        node = node[key]
    return node


def mutate(draw, document):
    """One mutation of ``document`` in place: replace a value, drop a key or item, add an unknown key."""
    paths = [p for p in _paths(document) if p]
    if not paths:
        return draw(hostile_values)
    path = draw(st.sampled_from(paths))
    parent = _parent(document, path)
    operation = draw(st.sampled_from(["replace", "replace", "replace", "replace", "delete", "add"]))
    if operation == "replace":
        parent[path[-1]] = draw(hostile_values)
    elif operation == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.sampled_from(["surprise", "\x00", "x" * 300, ""]))] = draw(hostile_values)
    else:
        parent.append(draw(hostile_values))
    return document


def _serialize(value, ensure_ascii):
    deep = {}

    def default(obj):
        if isinstance(obj, Deep):
            marker = f"__deep_{len(deep)}__"
            deep[marker] = obj.levels
            return marker
        raise TypeError(obj)

    text = json.dumps(value, ensure_ascii=ensure_ascii, allow_nan=True, default=default)
    for marker, levels in deep.items():
        text = text.replace(f'"{marker}"', "[" * levels + "]" * levels)
    return text


@st.composite
def documents_from(draw, document):
    """Bytes of ``document`` after 1–3 mutations, sometimes damaged as a file (cut short, not UTF-8,
    a BOM, the root replaced, nested 100,000 levels deep)."""
    mutated = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        mutated = mutate(draw, mutated)
    text = _serialize(mutated, draw(st.booleans()))
    damage = draw(st.sampled_from(["none"] * 12 + ["cut", "latin1", "bom", "root", "deep", "utf16"]))
    if damage == "cut":
        return text[:draw(st.integers(0, max(len(text) - 1, 0)))].encode()
    if damage == "latin1":
        return text.encode("utf-8") + b"\xff\xfe\xc3"
    if damage == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if damage == "root":
        return _serialize(draw(hostile_values), True).encode()
    if damage == "deep":
        return deep_json(100_000)
    if damage == "utf16":
        return text.encode("utf-16")
    return text.encode()


_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

table_values = st.one_of(
    st.sampled_from(ODD_TEXTS),
    st.sampled_from(HUGE_INTEGERS).map(str),
    st.sampled_from(ODD_FLOATS).map(repr),
    st.text(max_size=40),
    st.text(max_size=20).map(lambda s: s + "\x00"),
    st.sampled_from(["field", "criterion", "sub", "bonus", "penalty", "count", "percent", "text", "choice",
                     "group", "threshold", "proportional", "yes_no", "threshold=1e30", "threshold=NaN",
                     "one_stop:received/resolved", "indicator:1.1", "1", "1.1", "9.9.9.z", "A >= B"]),
)


@st.composite
def table_cells(draw, rows, *, xlsx=False):
    """``rows`` (header first) after 1–4 mutations: a cell replaced by a hostile value, a row or a
    column dropped, a row repeated, a column added. In XLSX, control characters cannot be written;
    numbers are sometimes written as numbers."""
    table = [list(row) for row in rows]
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["cell"] * 6 + ["drop_row", "drop_column", "repeat_row", "add_column"]))
        r = draw(st.integers(0, len(table) - 1)) if table else 0
        if operation == "cell" and table and table[r]:
            c = draw(st.integers(0, len(table[r]) - 1))
            table[r][c] = draw(table_values)
        elif operation == "drop_row" and table:
            del table[r]
        elif operation == "drop_column" and table and table[0]:
            c = draw(st.integers(0, len(table[0]) - 1))
            for row in table:
                if c < len(row):
                    del row[c]
        elif operation == "repeat_row" and table:
            table.insert(r, list(table[r]))
        elif operation == "add_column":
            for row in table:
                row.append(draw(table_values))
    if xlsx:
        table = [[_xlsx_cell(value) for value in row] for row in table]
    return table


def _xlsx_cell(value):
    text = _XLSX_ILLEGAL.sub("", str(value))
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and abs(number) < 2**53 else (
        number if number == number and abs(number) != float("inf") else text)
