"""Fixtures of the statistics-appendix tests (imported by test_catalogue*.py / test_appendix*.py)."""

from pathlib import Path

import pytest

from indicators.appendix.importers import load_catalogue, load_default_catalogue, read_rows
from indicators.models import Indicator

OFFICIAL_CSV = Path(__file__).resolve().parents[2] / "fixtures" / "indicators-01b.csv"


@pytest.fixture
def catalogue(db):
    """The bundled Phụ lục 01b catalogue, in force from 2015."""
    return load_default_catalogue(year_from=2015)[0]


@pytest.fixture
def by_code(catalogue):
    return {i.code: i for i in Indicator.objects.filter(catalogue=catalogue)}


def bigger_catalogue_rows(extra):
    """The bundled rows plus a group "8" with ``extra`` more count indicators."""
    from indicators.appendix.importers import DEFAULT_FILE

    rows = read_rows(DEFAULT_FILE)
    rows.append({"code": "8", "parent": "", "name_vi": "Nhóm thử", "unit_vi": "", "value_type": "group",
                 "choices": "", "note": "", "source": "", "rule": ""})
    for n in range(1, extra + 1):
        rows.append({"code": f"8.{n}", "parent": "8", "name_vi": f"Chỉ tiêu thử {n}", "unit_vi": "Lần",
                     "value_type": "count", "choices": "", "note": "", "source": "", "rule": ""})
    return rows


def load_rows(rows, year_from=2015):
    return load_catalogue(rows, year_from=year_from)[0]
