"""Read-only queries of the scoring: the scored assessments of a scope, rankings, previous results."""

from __future__ import annotations

from django.db.models import Prefetch

from reports.models import AdministrativeUnit

from . import formulas as scoring
from .models import (
    Assessment,
    LeafScore,
)


def scope_assessments(scope_unit, year):
    """Scored (approved or published) assessments of the communes under ``scope_unit`` for ``year``."""
    return (Assessment.objects.scored().filter(year=year)
            .filter(unit__in=AdministrativeUnit.objects.communes().below(scope_unit))
            .select_related("unit", "criteria_set"))


def previous_results(assessments, year):
    """{assessment pk: previous-year Assessment or None}: the same unit's, or a lone whole predecessor's
    (a commune formed by merging several has no comparable previous result: None)."""
    from reports.models import UnitLineage

    unit_ids = [a.unit_id for a in assessments]
    lineage = {}
    for link in UnitLineage.objects.filter(unit_id__in=unit_ids):
        lineage.setdefault(link.unit_id, []).append(link)
    predecessor = {}
    for unit_id in unit_ids:
        links = lineage.get(unit_id, [])
        predecessor[unit_id] = links[0].predecessor_id if len(links) == 1 and not links[0].partial else None
    wanted = set(unit_ids) | {p for p in predecessor.values() if p}
    previous = {a.unit_id: a for a in Assessment.objects.scored().filter(year=year - 1, unit_id__in=wanted)}
    result = {}
    for assessment in assessments:
        found = previous.get(assessment.unit_id)
        if found is None and predecessor.get(assessment.unit_id):
            found = previous.get(predecessor[assessment.unit_id])
        result[assessment.pk] = found
    return result


def ranking(scope_unit, year, *, assessments=None, with_previous=True):
    """Rows of the ranking of ``scope_unit``'s communes for ``year``, best first; ties share a rank.
    Two or three queries whatever the number of communes."""
    assessments = list(assessments if assessments is not None else scope_assessments(scope_unit, year))
    ranks = scoring.competition_ranks((a.pk, a.final) for a in assessments)
    previous = previous_results(assessments, year) if with_previous else {}
    rows = []
    for assessment in sorted(assessments, key=lambda a: (ranks[a.pk], a.unit.code)):
        before = previous.get(assessment.pk)
        rows.append({
            "rank": ranks[assessment.pk], "assessment": assessment, "unit": assessment.unit,
            "previous": before,
            "score_change": (assessment.final - before.final) if before and before.final is not None else None,
            "rank_change": (before.rank - ranks[assessment.pk]) if before and before.rank else None,
        })
    return rows


def ranking_json(rows):
    def number(value):
        return float(value) if value is not None else None

    return [{
        "rank": row["rank"], "unit": row["unit"].code, "name": row["unit"].name,
        "self_total": number(row["assessment"].self_total), "appraised_total": number(row["assessment"].appraised_total),
        "bonus": number(row["assessment"].bonus), "penalty": number(row["assessment"].penalty),
        "final": number(row["assessment"].final), "classification": row["assessment"].classification,
        "status": row["assessment"].status,
        "previous_final": number(row["previous"].final) if row["previous"] else None,
        "previous_rank": row["previous"].rank if row["previous"] else None,
    } for row in rows]


def leaves_prefetch():
    return Prefetch("leaves", queryset=LeafScore.objects.select_related("criterion").order_by("criterion__position"))
