"""What PAR-index scoring adds to the core's documents (registered in ``IndicatorsConfig.ready()``):

- the deduction & remediation letter, a document kind of its own (``letter``) requested at
  /van-ban/cong-van-khac-phuc/<assessment>/<format>/ (the core's generic view), downloadable once
  the council approved the results and, for the commune, once they are published;
- the published ranking of the communes in a district's or province's consolidated report: a
  section after the results and an appendix table, a consolidated block whose fingerprint (the
  ranking itself) enters the consolidated report's version;
- the Excel workbooks (ranking of a year, indicator matrix of a period), generated-file kinds of
  their own (``workbooks``).
"""

from reports import scope
from reports.documents import blocks
from reports.documents.registry import register_kind
from reports.models import AdministrativeUnit

from .letter import KIND, letter_context, letter_document, score
from .models import FINAL_STATUSES, Assessment, AssessmentStatus
from .selectors import ranking, scope_assessments
from .workbooks import register_workbooks

RANKING_ORDER = 80  # after the other blocks' results and tables


# --- the deduction letter --------------------------------------------------------------------------

def register_letter_kind(*, load_context, unit_id, version=None, may_view=None):
    """Register the letter kind. ``load_context(assessment_id)`` → letter_context dict;
    ``unit_id(assessment_id)`` → the commune's id (decides who may download); ``version`` optional
    (assessment_id → str), by default a hash of the letter's content; ``may_view(user, params)`` an
    extra rule on top of scope (e.g. only published results)."""

    def allowed(user, params):
        commune = unit_id(params["assessment_id"])
        in_scope = scope.visible_communes(user).filter(pk=commune).exists()
        return in_scope and (may_view is None or may_view(user, params))

    return register_kind(
        KIND, title="Công văn khắc phục tồn tại, hạn chế",
        build_context=lambda p: letter_document(load_context(p["assessment_id"])),
        source_key=lambda p: f"assessment:{p['assessment_id']}",
        source_version=(lambda p: version(p["assessment_id"])) if version else None,
        may_view=allowed,
        filename=lambda p, fmt: f"cong-van-khac-phuc-cchc-{p['assessment_id']}.{fmt}",
        unit_id=lambda p: unit_id(p["assessment_id"]),
        request_route="van-ban/cong-van-khac-phuc/<id:assessment_pk>/<key:fmt>/",
        request_url_name="letter-document-request",
        url_params=lambda kwargs: {"assessment_id": kwargs["assessment_pk"]},
    )


def _assessment(pk):
    return Assessment.objects.select_related("unit__parent", "criteria_set").get(pk=pk)


def _letter_may_view(user, params):
    # The letter states the council's results: only once the council approved, and for the
    # commune only once they are published (the results pages' own rule).
    assessment = _assessment(params["assessment_id"])
    return assessment.status in FINAL_STATUSES and user.has_perm("indicators.view_results", assessment)


def _letter_version(pk):
    assessment = Assessment.objects.only("status", "final", "updated_at").get(pk=pk)
    stamp = getattr(assessment, "updated_at", None)
    return f"{assessment.status}-{assessment.final}-{stamp.isoformat() if stamp else ''}"


def register_letter():
    register_letter_kind(
        load_context=lambda pk: letter_context(_assessment(pk)),
        unit_id=lambda pk: Assessment.objects.values_list("unit_id", flat=True).get(pk=pk),
        version=_letter_version, may_view=_letter_may_view,
    )


# --- the published ranking in the consolidated report ----------------------------------------------

def published_ranking_rows(unit_id, year):
    """[{rank, name, final, classification}] of the communes under the unit, or None if unpublished."""
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


def ranking_contribution(rows, info):
    """The section and the appendix table of a published ranking; None without one."""
    if not rows:
        return None
    return blocks.Contribution(
        sections=[(f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {info.year}",
                   ["Kết quả xếp hạng Chỉ số cải cách hành chính của các đơn vị cấp xã có Phụ lục kèm theo."])],
        appendices=[{
            "label": blocks.NUMBERED, "title": [f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CCHC CẤP XÃ NĂM {info.year}"],
            "note": info.note,
            "columns": [{"title": "Xếp hạng", "width": 20, "align": "center"},
                        {"title": "Đơn vị", "width": 75, "align": "left"},
                        {"title": "Tổng điểm", "width": 30, "align": "right"},
                        {"title": "Xếp loại", "width": 40, "align": "center"}],
            "rows": [{"cells": [str(r["rank"]), r["name"], score(r["final"]), r.get("classification", "")]}
                     for r in rows],
        }],
    )


def ranking_block(communes, info):
    return ranking_contribution(published_ranking_rows(info.unit_id, info.year), info)


def ranking_fingerprint(info):
    return [[r["rank"], r["name"], str(r["final"])] for r in published_ranking_rows(info.unit_id, info.year) or []]


def register_documents():
    register_letter()
    register_workbooks()
    blocks.register(blocks.DocumentBlock(key="published_ranking", order=RANKING_ORDER, consolidated=ranking_block,
                                         fingerprint=ranking_fingerprint))
