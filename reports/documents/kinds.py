"""The document kinds the core owns: a commune's report, a district's or province's consolidated
report, and the ZIP of a period's approved reports. Registered in ``ReportsConfig.ready()``."""

import datetime as dt
import zipfile

from .. import scope
from ..models import AdministrativeUnit, Report, ReportingPeriod, ReportStatus, UnitLevel
from . import context
from .models import DocumentKind, DocumentStatus, ErrorCode
from .registry import content_hash, register_kind


def _report(params):
    return Report.objects.select_related("unit__parent__parent", "period").get(pk=params["report_id"])


def _report_may_view(user, params):
    report = Report.objects.for_user(user).select_related("unit__parent").filter(pk=params["report_id"]).first()
    return report is not None and user.has_perm("reports.view_report", report)


def _report_filename(params, fmt):
    report = _report(params)
    return f"bao-cao-cchc-{report.unit.code}-{report.period.year}-{report.period.kind}.{fmt}"


def may_view_unit(user, unit):
    """A consolidated document or a ZIP of ``unit``: its reviewers (at it or above), admins."""
    return scope.reviews(user, unit)


# --- consolidated ----------------------------------------------------------------------------------

def consolidated_inputs(unit_id, period_id):
    """(unit, period, communes valid in the period below the unit, {commune id: report})."""
    unit = AdministrativeUnit.objects.select_related("parent").get(pk=unit_id)
    period = ReportingPeriod.objects.get(pk=period_id)
    communes = list(
        scope.communes_below(unit).valid_on(period.reference_date).order_by("code"))
    reports = {
        r.unit_id: r for r in Report.objects.filter(period=period, unit__in=communes)
        .select_related("unit__parent__parent", "period")
    }
    return unit, period, communes, reports


def _consolidated_context(params):
    unit, period, communes, reports = consolidated_inputs(params["unit_id"], params["period_id"])
    return context.consolidated_document(unit, period, communes, reports)


def _consolidated_version(params):
    unit, period, communes, reports = consolidated_inputs(params["unit_id"], params["period_id"])
    return content_hash(context.consolidated_fingerprint(unit, period, communes, reports))


def _consolidated_may_view(user, params):
    unit = AdministrativeUnit.objects.select_related("parent").filter(pk=params["unit_id"]).first()
    return unit is not None and may_view_unit(user, unit)


def _consolidated_filename(params, fmt):
    unit = AdministrativeUnit.objects.get(pk=params["unit_id"])
    period = ReportingPeriod.objects.get(pk=params["period_id"])
    return f"bao-cao-tong-hop-{unit.code}-{period.year}-{period.kind}.{fmt}"


# --- ZIP of the approved reports of a period -------------------------------------------------------

def bundle_reports(unit_id, period_id):
    """Approved reports of ``period`` of the communes at or below ``unit_id`` (all communes if None)."""
    reports = Report.objects.filter(period_id=period_id, status=ReportStatus.APPROVED)
    if unit_id is not None:
        unit = AdministrativeUnit.objects.get(pk=unit_id)
        reports = reports.filter(unit__path__startswith=unit.path)
    return reports.select_related("unit", "period").order_by("unit__code")


def _bundle_version(params):
    rows = list(bundle_reports(params.get("unit_id"), params["period_id"]).values_list("pk", "revision"))
    return content_hash([rows, params["format"]])


def _bundle_may_view(user, params):
    if params.get("unit_id") is None:
        return user.is_authenticated and user.is_superuser
    return _consolidated_may_view(user, params)


def _bundle_filename(params, fmt):
    period = ReportingPeriod.objects.get(pk=params["period_id"])
    scope = AdministrativeUnit.objects.get(pk=params["unit_id"]).code if params.get("unit_id") else "tat-ca"
    return f"bao-cao-da-duyet-{scope}-{period.year}-{period.kind}-{params['format']}.zip"


def _render_bundle(document, path):
    """Render (or reuse) every approved report in the bundle's format, then zip them atomically."""
    from .services import RenderError, atomic_write, render_document, request_document, set_progress

    params = document.params
    reports = list(bundle_reports(params.get("unit_id"), params["period_id"]))
    members = []
    for index, report in enumerate(reports, start=1):
        member = request_document(DocumentKind.REPORT, {"report_id": report.pk}, params["format"], dispatch=False)
        if member.status != DocumentStatus.DONE or not member.file_is_intact():
            member = render_document(member.pk)
        if member.status != DocumentStatus.DONE:
            # the bundle's own attempts are not the member's: a member that gave up is a failure here
            code = ErrorCode.SOURCE_MISSING if member.error_code == ErrorCode.SOURCE_MISSING else ErrorCode.RENDER_FAILED
            raise RenderError(code, f"member report {report.pk} failed: {member.error_code}")
        members.append((member.file.path, member.filename))
        set_progress(document.pk, 5 + int(85 * index / max(len(reports), 1)))

    def write(temp):
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for source, name in members:
                archive.write(source, arcname=name)

    atomic_write(path, write)


def register_core_kinds():
    register_kind(
        DocumentKind.REPORT, title="Báo cáo CCHC", build_context=lambda p: context.report_document(_report(p)),
        source_key=lambda p: f"report:{p['report_id']}",
        source_version=lambda p: str(Report.objects.values_list("revision", flat=True).get(pk=p["report_id"])),
        may_view=_report_may_view, filename=_report_filename,
        unit_id=lambda p: Report.objects.values_list("unit_id", flat=True).get(pk=p["report_id"]),
        report_id=lambda p: p["report_id"],
    )
    register_kind(
        DocumentKind.CONSOLIDATED, title="Báo cáo tổng hợp", build_context=_consolidated_context,
        source_key=lambda p: f"consolidated:unit={p['unit_id']}:period={p['period_id']}",
        source_version=_consolidated_version, may_view=_consolidated_may_view, filename=_consolidated_filename,
        unit_id=lambda p: p["unit_id"],
    )
    register_kind(
        DocumentKind.BUNDLE, title="Tệp nén các báo cáo đã duyệt", build_context=lambda p: {},
        source_key=lambda p: f"bundle:unit={p.get('unit_id') or 'all'}:period={p['period_id']}:{p['format']}",
        source_version=_bundle_version, may_view=_bundle_may_view, filename=_bundle_filename,
        unit_id=lambda p: p.get("unit_id"), formats=("zip",), render=_render_bundle,
        retention=dt.timedelta(days=1),  # a one-off: it expires after a day whatever happens
    )


def review_units(user, period):
    """Units (district or province) whose consolidated report and ZIP ``user`` may request."""
    units = scope.review_units(user)
    if not units and scope.is_national(user):
        units = list(AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).valid_on(period.reference_date))
    return units
