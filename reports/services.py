"""State changes of a report. Each is one function that runs in a transaction, locks the report,
records the transition and raises ``ReportError`` with a Vietnamese message the view shows."""

from django.db import transaction
from django.utils import timezone

from . import parts as part_registry
from .models import Report, ReportingPeriod, ReportStatus, ReportTransition


class ReportError(Exception):
    """A refused state change; ``str(error)`` is the message for the user."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.problems = problems or []


class StaleRevision(ReportError):
    """Someone else saved the part after this user loaded it."""


def _lock(report):
    return Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)


def _transition(report, to_status, actor, reason=""):
    ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=to_status, actor=actor,
        reason=reason, revision=report.revision,
    )
    report.status = to_status


def open_report(unit, period, *, actor=None):
    """The commune's report for ``period``, created (and prefilled from its previous report) if new."""
    report = Report.objects.filter(unit=unit, period=period).select_related("unit", "period").first()
    if report is not None:
        return report
    with transaction.atomic():
        report, created = Report.objects.get_or_create(unit=unit, period=period)
        if created:
            previous = previous_report(report)
            if previous is not None:
                for part in part_registry.parts():
                    part.copy_from_previous(previous, report)
            ReportTransition.objects.create(
                report=report, from_status="", to_status=ReportStatus.DRAFT, actor=actor,
                reason="Tạo báo cáo" + (f" (kế thừa từ {previous.period.label})" if previous else ""),
            )
    return report


def previous_report(report):
    """The commune's latest report of an earlier period (by data window end), or of a predecessor unit."""
    unit_ids = [report.unit_id, *report.unit.lineage.values_list("predecessor_id", flat=True)]
    return (
        Report.objects.filter(unit_id__in=unit_ids, period__data_end__lt=report.period.data_end)
        .select_related("period").order_by("-period__data_end", "-period__year").first()
    )


def save_part(report, key, *, expected_revision, actor, apply):
    """Run ``apply(locked_report)`` if nobody saved part ``key`` since ``expected_revision``.

    Bumps the part's and the report's revision. Raises StaleRevision on a concurrent save and
    ReportError when the report is no longer editable.
    """
    with transaction.atomic():
        locked = _lock(report)
        if not locked.is_editable:
            raise ReportError("Báo cáo đã gửi hoặc đã duyệt nên không thể sửa.")
        if expected_revision is not None and locked.part_revision(key) != int(expected_revision):
            raise StaleRevision(
                "Phần này vừa được người khác lưu sau khi bạn mở trang. "
                "Hãy xem các thay đổi bên dưới rồi lưu lại nếu vẫn muốn giữ nội dung của bạn."
            )
        apply(locked)
        locked.part_revisions[key] = locked.part_revision(key) + 1
        locked.revision += 1
        locked._change_reason = f"Lưu phần {key}"
        locked.save()
    report.refresh_from_db()
    return report


def submission_problems(report):
    problems = []
    for part in part_registry.parts():
        for problem in part.problems(report):
            problems.append(f"{part.title}: {problem}")
    return problems


def submit_report(report, *, actor):
    with transaction.atomic():
        report = _lock(report)
        if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            raise ReportError("Chỉ gửi được báo cáo đang soạn hoặc bị trả lại.")
        problems = submission_problems(report)
        if problems:
            raise ReportError("Báo cáo còn lỗi, chưa gửi được.", problems)
        now = timezone.now()
        _transition(report, ReportStatus.SUBMITTED, actor)
        report.submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
        report.submitted_revision = report.revision
        report._change_reason = "Gửi báo cáo"
        report.save()
    return report


def return_report(report, *, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ReportError("Phải nêu lý do trả lại báo cáo.")
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.SUBMITTED:
            raise ReportError("Chỉ trả lại được báo cáo đã gửi.")
        _transition(report, ReportStatus.RETURNED, actor, reason)
        report._change_reason = "Trả lại báo cáo"
        report.save()
    return report


def approve_report(report, *, actor):
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.SUBMITTED:
            raise ReportError("Chỉ duyệt được báo cáo đã gửi.")
        _transition(report, ReportStatus.APPROVED, actor)
        report.approved_at = timezone.now()
        report._change_reason = "Duyệt báo cáo"
        report.save()
    return report


def reopen_report(report, *, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ReportError("Phải nêu lý do mở lại báo cáo đã duyệt.")
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.APPROVED:
            raise ReportError("Chỉ mở lại được báo cáo đã duyệt.")
        _transition(report, ReportStatus.RETURNED, actor, reason)
        report.approved_at = None
        report._change_reason = "Mở lại báo cáo"
        report.save()
    return report


def open_year_periods(year, *, is_open=True):
    """Create the seven periods of ``year`` with default windows and deadlines; existing ones are kept."""
    created = []
    for kind, _label in ReportingPeriod._meta.get_field("kind").choices:
        period, was_created = ReportingPeriod.objects.get_or_create(
            year=year, kind=kind, defaults={**ReportingPeriod.default_dates(year, kind), "is_open": is_open},
        )
        if was_created:
            created.append(period)
    return created
