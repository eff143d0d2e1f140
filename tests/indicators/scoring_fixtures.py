"""Fixtures of the scoring tests (imported by the test_scoring*/test_assessment*/test_ranking* modules)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from indicators.scoring.importers import parse_criteria
from indicators.scoring.services import import_criteria_set, resolve_unit_for_year

DATA = Path(__file__).parent / "data"
CRITERIA_CSV = Path(settings.BASE_DIR) / "fixtures" / "criteria-commune.csv"
SEED_003 = DATA / "vinh-long-2023.json"
INCONSISTENT = DATA / "vinh-long-2023-inconsistent.json"


def install_criteria(unit_code="45", year=2023):
    table = parse_criteria(CRITERIA_CSV.read_bytes(), CRITERIA_CSV.name)
    assert table.ok, table.problems
    return import_criteria_set(table, unit=resolve_unit_for_year(unit_code, year), year=year, actor=None)


def seed_document():
    return json.loads(SEED_003.read_text(encoding="utf-8"))


def scored_document(criteria_set, unit_code, year=2023, *, lose=Decimal(0), bonus=0):
    """A cchc-assessment/1 document: full marks on every leaf except ``lose`` points taken off 7.1.3 (max 2)."""
    scores = {}
    for criterion in criteria_set.criteria.filter(is_leaf=True):
        score = criterion.max_score - (Decimal(lose) if criterion.code == "7.1.3" else 0)
        scores[criterion.code] = {"self": float(criterion.max_score), "appraised": float(score)}
    return {"format": "cchc-assessment/1", "unit": unit_code, "year": year, "scores": scores, "bonus": bonus}


@pytest.fixture(name="criteria_2023")
def criteria_2023_fixture(db):
    return install_criteria("45", 2023)
