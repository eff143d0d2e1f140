"""The scoring's Excel workbooks as kinds of the core's generated files (registered from
``contrib.register_documents`` in ``IndicatorsConfig.ready()``):

- ``ranking_workbook``: the ranking of a province's or district's communes for a year, with the leaf
  scores by field and the deducted leaves (``exporters.ranking_workbook``);
- ``indicator_matrix``: communes × statistics-appendix codes of a period
  (``exporters.indicator_matrix_workbook``).

Both are requested by the ranking page's form (``views.ranking.ExportStartView``), rendered by the
core's worker through ``render(document, path)`` (atomic write, progress on the row), downloaded
through the core's permission-checked view: the row's unit in the user's scope, then ``may_view``,
which is the start view's own rule (``indicators.review_scope`` on the unit). The version is a hash
of the inputs, so the same data is never rendered twice.
"""

from reports.documents.registry import content_hash, register_kind
from reports.documents.services import atomic_write, set_progress
from reports.models import AdministrativeUnit, Report, ReportingPeriod

from . import exporters
from .models import LeafScore
from .selectors import scope_assessments

RANKING = "ranking_workbook"
MATRIX = "indicator_matrix"
# The values of the ranking page's form (``kind``) → the document kind.
FORM_KINDS = {"ranking": RANKING, "indicator_matrix": MATRIX}
XLSX = ("xlsx",)


def _unit(params):
    return AdministrativeUnit.objects.get(pk=params["unit_id"])


def may_export(user, unit):
    """The start view's rule, and the download's: a reviewer of the province/district."""
    return user.has_perm("indicators.review_scope", unit)


def _may_view(user, params):
    return may_export(user, _unit(params))


def _progress(document, start=5, end=85):
    """``percent`` of the workbook writer → the row's progress between ``start`` and ``end``."""
    return lambda percent: set_progress(document.pk, start + int((end - start) * percent / 100))


# --- the ranking workbook --------------------------------------------------------------------------

def ranking_version(params):
    """The scored assessments of the year (and the previous year's, for the changes) as they stand,
    with their leaves' scores and the council's comments and remediation (which change without
    touching the assessment). Three queries."""
    unit, year = _unit(params), int(params["year"])
    assessments = scope_assessments(unit, year)
    rows = [list(assessments.order_by("pk").values_list(
        "pk", "status", "final", "rank", "criteria_set_id", "updated_at"))]
    rows.append(list(scope_assessments(unit, year - 1).order_by("pk").values_list("pk", "final", "rank")))
    rows.append(list(LeafScore.objects.filter(assessment__in=assessments.values("pk")).order_by("pk").values_list(
        "pk", "appraised", "not_applicable", "council_comment", "responsible", "remediation", "deadlines")))
    return content_hash(rows)


def render_ranking(document, path):
    unit, year = _unit(document.params), int(document.params["year"])
    atomic_write(path, lambda temp: exporters.ranking_workbook(unit, year, temp, progress=_progress(document)))


def ranking_filename(params, fmt):
    return f"xep-hang-chi-so-cchc-{_unit(params).code}-{params['year']}.{fmt}"


# --- the indicator matrix of a period --------------------------------------------------------------

def matrix_version(params):
    """The communes of the period below the unit and their reports' revisions and statuses."""
    unit = _unit(params)
    period = ReportingPeriod.objects.get(pk=params["period_id"])
    communes = list(AdministrativeUnit.objects.communes().below(unit).valid_on(period.reference_date)
                    .order_by("pk").values_list("pk", flat=True))
    reports = list(Report.objects.filter(period=period, unit_id__in=communes).order_by("pk")
                   .values_list("pk", "unit_id", "revision", "status"))
    return content_hash([period.pk, communes, reports])


def render_matrix(document, path):
    unit = _unit(document.params)
    period = ReportingPeriod.objects.get(pk=document.params["period_id"])
    atomic_write(path, lambda temp: exporters.indicator_matrix_workbook(unit, period, temp,
                                                                         progress=_progress(document)))


def matrix_filename(params, fmt):
    period = ReportingPeriod.objects.get(pk=params["period_id"])
    return f"chi-tieu-{_unit(params).code}-{period.year}-{period.kind}.{fmt}"


def register_workbooks():
    register_kind(
        RANKING, title="Bảng xếp hạng chỉ số CCHC", build_context=lambda p: {},
        source_key=lambda p: f"ranking:unit={p['unit_id']}:year={p['year']}",
        source_version=ranking_version, may_view=_may_view, filename=ranking_filename,
        unit_id=lambda p: p["unit_id"], formats=XLSX, render=render_ranking,
    )
    register_kind(
        MATRIX, title="Bảng chỉ tiêu thống kê theo kỳ", build_context=lambda p: {},
        source_key=lambda p: f"indicator-matrix:unit={p['unit_id']}:period={p['period_id']}",
        source_version=matrix_version, may_view=_may_view, filename=matrix_filename,
        unit_id=lambda p: p["unit_id"], formats=XLSX, render=render_matrix,
    )

