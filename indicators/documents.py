"""What the document builder (reports.documents) needs from scoring: the deduction & remediation
letter of a published assessment and the published ranking of a district or province."""

from .letters import letter_context
from .models import Assessment, AssessmentStatus
from .scoring.models import FINAL_STATUSES


def _assessment(pk):
    return Assessment.objects.select_related("unit__parent", "criteria_set").get(pk=pk)


def letter_kind_params():
    def may_view(user, params):
        # The letter states the council's results: only once the council approved, and for the
        # commune only once they are published (the results pages' own rule).
        assessment = _assessment(params["assessment_id"])
        return assessment.status in FINAL_STATUSES and user.has_perm("indicators.view_results", assessment)

    return {
        "load_context": lambda pk: letter_context(_assessment(pk)),
        "unit_id": lambda pk: Assessment.objects.values_list("unit_id", flat=True).get(pk=pk),
        "version": _version,
        "may_view": may_view,
    }


def _version(pk):
    assessment = Assessment.objects.only("status", "final", "updated_at").get(pk=pk)
    stamp = getattr(assessment, "updated_at", None)
    return f"{assessment.status}-{assessment.final}-{stamp.isoformat() if stamp else ''}"


def published_ranking_rows(unit_id, year):
    """[{rank, name, final, classification}] of the communes under the unit, or None if unpublished."""
    from reports.models import AdministrativeUnit

    from .scoring.selectors import ranking, scope_assessments

    unit = AdministrativeUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        return None
    assessments = [a for a in scope_assessments(unit, year) if a.status == AssessmentStatus.PUBLISHED]
    if not assessments:
        return None
    return [
        {"rank": row["rank"], "name": row["unit"].name, "final": row["assessment"].final,
         "classification": row["assessment"].classification}
        for row in ranking(unit, year, assessments=assessments, with_previous=False)
    ]
