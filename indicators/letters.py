"""Context of the deduction & remediation letter (the seed-003 document): what another app renders.

``letter_context(assessment)`` returns plain values (Decimals, dates, strings) only."""

from decimal import Decimal

from reports.models import SignerCapacity

from .models import LeafScore


def deduction_rows(assessment):
    """Leaves that lost points, in criteria order, as the appendix lists them (one query)."""
    rows = []
    leaves = (LeafScore.objects.filter(assessment=assessment, not_applicable=False)
              .select_related("criterion").order_by("criterion__position"))
    for leaf in leaves:
        deducted = leaf.deducted
        if deducted <= 0:
            continue
        rows.append({
            "code": leaf.criterion.code, "name": leaf.criterion.name_vi, "max": leaf.criterion.max_score,
            "self": leaf.self_score, "appraised": leaf.appraised, "deducted": deducted,
            "comment": leaf.council_comment, "responsible": leaf.responsible, "remediation": leaf.remediation,
            "deadlines": leaf.deadline_dates,
        })
    return rows


def previous_assessment(assessment):
    from .scoring.selectors import previous_results

    return previous_results([assessment], assessment.year).get(assessment.pk)


def letter_context(assessment):
    """Everything the letter "khắc phục tồn tại, hạn chế … nâng cao chỉ số CCHC" needs."""
    unit = assessment.unit
    rows = deduction_rows(assessment)
    previous = previous_assessment(assessment)
    signer = {"name": "", "title": "Chủ tịch", "capacity": SignerCapacity.TM.label}
    from reports.models import Report

    last_report = (Report.objects.filter(unit=unit, period__year__in=[assessment.year, assessment.year + 1])
                   .exclude(signer_name="").order_by("-period__data_end").first())
    if last_report is not None:
        signer = {"name": last_report.signer_name, "title": last_report.signer_title or "Chủ tịch",
                  "capacity": SignerCapacity(last_report.signer_capacity).label if last_report.signer_capacity else ""}
    return {
        "unit_name": unit.name,
        "unit_upper": unit.name.upper(),
        "year": assessment.year,
        "next_year": assessment.year + 1,
        "place": unit.short_name,
        "self_total": assessment.self_total,
        "appraised_total": assessment.appraised_total,
        "bonus": assessment.bonus,
        "penalty": assessment.penalty,
        "final": assessment.final,
        "deducted_total": sum((row["deducted"] for row in rows), Decimal(0)),
        "rank": assessment.rank,
        "rank_of": assessment.rank_of,
        "classification": assessment.classification,
        "previous": {"final": previous.final, "rank": previous.rank} if previous is not None else None,
        "rows": rows,
        "signer": signer,
    }

