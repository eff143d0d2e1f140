"""State changes of a report. Each is one function that runs in a transaction, locks the report row
(``select_for_update``) and only then checks: the report's state, the actor's permission on the
locked row (the ``rules`` perms), the period being open where it matters, and the revision. Views and
commands only parse input and call these; they cannot bypass a rule.

``actor`` is the user doing it. ``actor=None`` is accepted only where a system job writes on its own
(``open_report`` of a fixture or a job, ``import_report`` from the command line), and is explicit
there. Rights are asked of the ``rules`` predicates (``allowed``), so the superuser passes role
checks but no state rule. Every refusal is a ``ReportError`` with a Vietnamese message the view
shows; a missing right is its subclass ``NotAllowed`` (views answer 403), and so is a state that the
right itself excludes (editing or submitting a report that is no longer a draft).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from . import addressing, limits
from . import parts as part_registry
from .access import allowed
from .models import (
    PERIOD_ORDER,
    PartComment,
    Report,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
)
from .parts import Problem

HISTORICAL_IMPORT_REASON = "Nhập dữ liệu lịch sử vào kỳ đã đóng"


class ReportError(Exception):
    """A refused state change; ``str(error)`` is the message for the user."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.problems = problems or []


class StaleRevision(ReportError):
    """Someone else saved the part (or the report) after this user loaded it."""


class NotAllowed(ReportError):
    """The actor may not do this to this report (checked on the locked row)."""


def _lock(report):
    return Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)


def _require(actor, perm, report, message):
    """NotAllowed unless ``actor`` holds ``perm`` on the (locked) ``report``."""
    if not allowed(actor, perm, report):
        raise NotAllowed(message)


def _transition(report, to_status, actor, reason=""):
    ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=to_status, actor=actor,
        reason=reason, revision=report.revision,
    )
    report.status = to_status


def _note(report, actor, reason):
    """A timeline row that records an event without a status change (an import, a historical load)."""
    ReportTransition.objects.create(report=report, from_status=report.status, to_status=report.status,
                                    actor=actor, reason=reason, revision=report.revision)


def _period_is_open(period):
    """The period's open flag as committed now (an admin may have closed it since the page loaded)."""
    return ReportingPeriod.objects.filter(pk=period.pk, is_open=True).exists()


# --- Creating a report -------------------------------------------------------------------------------

def open_report(unit, period, *, actor=None):
    """The commune's report for ``period``, created (and prefilled, see ``prefill_sources``) if new.

    Creating one needs an open period, a unit that exists in the period and, for a user, the right
    to edit the new report; ``actor=None`` is a system job (fixtures, demo). An existing report is
    returned as it is (opening it changes nothing).
    """
    report = Report.objects.filter(unit=unit, period=period).select_related("unit", "period").first()
    if report is not None:
        return report
    with transaction.atomic():
        report, _created = _create(unit, period, actor=actor, reason="Tạo báo cáo")
    return report


def _create(unit, period, *, actor, reason, allow_closed_period=False, prefill=True):
    """(report, created) inside the caller's transaction; checks the creation rules first."""
    if actor is not None:
        _require(actor, "reports.edit_report", Report(unit=unit, period=period),
                 f"Bạn không có quyền lập báo cáo của {unit}.")
    if not allow_closed_period and not _period_is_open(period):
        raise ReportError("Kỳ báo cáo này đã đóng, không tạo được báo cáo mới.")
    if not unit.is_valid_on(period.reference_date):
        raise ReportError(f"{unit} không tồn tại trong {period.label}.")
    report, created = Report.objects.get_or_create(unit=unit, period=period)
    if created:
        sources = prefill_sources(report) if prefill else []
        if prefill:
            _prefill(report, sources)
        ReportTransition.objects.create(
            report=report, from_status="", to_status=ReportStatus.DRAFT, actor=actor,
            reason=reason + _inherited_note(report, sources),
        )
    return report, created


def _prefill(report, sources):
    """Header fields the unit tree decides, then each part's copy of each source report."""
    for field, value in addressing.header_defaults(report.unit, report.period).items():
        setattr(report, field, value)
    report.save()
    for previous in sources:
        for part in part_registry.parts():
            part.copy_from_previous(previous, report)


def _inherited_note(report, sources):
    if not sources:
        return ""
    if all(source.unit_id == report.unit_id for source in sources):
        return f" (kế thừa từ {sources[0].period.label})"
    units = ", ".join(str(source.unit) for source in sources)
    return f" (kế thừa từ báo cáo {sources[0].period.label} của {units})"


def prefill_sources(report):
    """The reports a new ``report`` is prefilled from: the unit's own latest earlier report; failing
    that, for a unit formed by the 2025 merger, its predecessors' reports of the last period before
    the merger (only when ``report``'s period follows that one directly)."""
    previous = previous_report(report)
    if previous is not None:
        return [previous]
    return predecessor_reports(report)


def _earlier_periods_q(period):
    """Periods before ``period``: an earlier data window end, or the same end and an earlier kind
    (Q4 before the year, Q2 before the 6 months)."""
    same_end_kinds = PERIOD_ORDER[:PERIOD_ORDER.index(period.kind)]
    return Q(period__data_end__lt=period.data_end) | Q(period__data_end=period.data_end,
                                                        period__kind__in=same_end_kinds)


def _latest(reports):
    """The latest of ``reports`` by data window end, then kind (the year after Q4)."""
    return max(reports, key=lambda r: (r.period.data_end, PERIOD_ORDER.index(r.period.kind)), default=None)


def previous_report(report):
    """The unit's own latest report of an earlier period (by data window end, then kind: the annual
    report follows Q4 of its year), or None. A predecessor's report is never "previous": see
    ``predecessor_reports``."""
    candidates = (
        Report.objects.filter(_earlier_periods_q(report.period), unit_id=report.unit_id)
        .exclude(pk=report.pk).select_related("period", "unit").order_by("-period__data_end")[:len(PERIOD_ORDER)]
    )
    return _latest(list(candidates))


def predecessor_reports(report):
    """For a unit formed by the 2025 merger: each predecessor's latest report of the last period
    that ended before the unit existed (Q2 or 6 months 2025), ordered by unit code. Empty unless
    ``report``'s period starts right after that period ends (its first quarter, the 9 months or
    the year of 2025): a report never inherits from more than one period back across the merger."""
    unit = report.unit
    predecessors = list(unit.lineage.values_list("predecessor_id", flat=True))
    if not predecessors:
        return []
    last_end = (ReportingPeriod.objects.filter(data_end__lt=unit.valid_from)
                .aggregate(last=Max("data_end"))["last"])
    if last_end is None or report.period.data_start > last_end + dt.timedelta(days=1):
        return []
    by_unit = {}
    for candidate in (Report.objects.filter(unit_id__in=predecessors, period__data_end=last_end)
                      .select_related("period", "unit")):
        by_unit.setdefault(candidate.unit_id, []).append(candidate)
    return sorted((_latest(found) for found in by_unit.values()), key=lambda r: r.unit.code)


# --- Entry ---------------------------------------------------------------------------------------------

def _revision_token(expected_revision):
    if expected_revision is None or str(expected_revision).strip() == "":
        raise ReportError("Thiếu phiên bản của phần đang sửa nên chưa lưu. Hãy tải lại trang rồi lưu lại.")
    try:
        return int(expected_revision)
    except (TypeError, ValueError) as error:
        raise ReportError(f"Phiên bản “{expected_revision}” không hợp lệ nên chưa lưu. Hãy tải lại trang.") from error


def save_part(report, key, *, expected_revision, actor, apply):
    """Run ``apply(locked_report)`` if nobody saved part ``key`` since ``expected_revision``.

    The revision token is mandatory. Bumps the part's and the report's revision. Raises StaleRevision
    on a concurrent save, NotAllowed without the right to edit, ReportError when the report is no
    longer editable.
    """
    if key not in {p.key for p in part_registry.parts()}:
        raise ReportError(f"Không có phần báo cáo “{key}”.")
    expected = _revision_token(expected_revision)
    with transaction.atomic():
        locked = _lock(report)
        if not locked.is_editable:
            raise NotAllowed("Báo cáo đã gửi hoặc đã duyệt nên không thể sửa.")  # part of the right to edit
        _require(actor, "reports.edit_report", locked, "Bạn không có quyền sửa báo cáo này.")
        if locked.part_revision(key) != expected:
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


def add_comment(report, part_key, text, *, actor):
    """A comment of ``actor`` on part ``part_key`` of ``report`` (registered parts only)."""
    if part_key not in {p.key for p in part_registry.parts()}:
        raise ReportError(f"Không có phần báo cáo “{part_key}”.")
    text = (text or "").strip()
    if not text:
        raise ReportError("Nhận xét không được để trống.")
    problem = limits.check_value(limits.model_field(PartComment, "text"), text, "text")
    if problem is not None:
        raise ReportError(str(problem.message))
    with transaction.atomic():
        locked = _lock(report)
        _require(actor, "reports.comment_report", locked, "Bạn không có quyền nhận xét báo cáo này.")
        return PartComment.objects.create(report=locked, part=part_key, author=actor, text=text)


# --- Workflow ------------------------------------------------------------------------------------------

def submission_problems(report):
    problems = []
    for part in part_registry.parts():
        for problem in part.problems(report):
            problems.append(f"{part.title}: {problem}")
    return problems


def _submit_locked(report, actor, *, system=False):
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise NotAllowed("Chỉ gửi được báo cáo đang soạn hoặc bị trả lại.")  # part of the right to submit
    if not system:
        _require(actor, "reports.submit_report", report, "Chỉ lãnh đạo UBND xã được gửi báo cáo.")
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


def submit_report(report, *, actor):
    with transaction.atomic():
        return _submit_locked(_lock(report), actor)


def return_report(report, *, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ReportError("Phải nêu lý do trả lại báo cáo.")
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.SUBMITTED:
            raise NotAllowed("Chỉ trả lại được báo cáo đã gửi.")  # part of the right to return
        _require(actor, "reports.return_report", report, "Bạn không có quyền thẩm định báo cáo này.")
        _transition(report, ReportStatus.RETURNED, actor, reason)
        report._change_reason = "Trả lại báo cáo"
        report.save()
    return report


def approve_report(report, *, actor):
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.SUBMITTED:
            raise NotAllowed("Chỉ duyệt được báo cáo đã gửi.")  # part of the right to approve
        _require(actor, "reports.approve_report", report, "Bạn không có quyền thẩm định báo cáo này.")
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
            raise NotAllowed("Chỉ mở lại được báo cáo đã duyệt.")  # part of the right to reopen
        _require(actor, "reports.reopen_report", report, "Bạn không có quyền mở lại báo cáo này.")
        _transition(report, ReportStatus.RETURNED, actor, reason)
        report.approved_at = None
        report._change_reason = "Mở lại báo cáo"
        report.save()
    return report


# --- Import --------------------------------------------------------------------------------------------

def import_problems(report, unit, period, *, actor, allow_closed_period=False):
    """Why an import into (unit, period) would be refused, as Problems (empty: allowed).

    The one set of rules of every import, exactly the UI's: the period must be open (unless an
    admin or the system loads history with ``allow_closed_period``), an existing report must be a
    draft or returned, and a user needs the right to edit it. ``report`` is the existing report or
    None. The upload preview asks it to show problems early; ``replace_report`` asks it again after
    the lock, and only that answer counts.
    """
    problems = []
    if allow_closed_period and actor is not None and not allowed(actor, "reports.manage_portal"):
        problems.append(Problem("--allow-closed-period", "Chỉ quản trị hệ thống được nhập dữ liệu lịch sử vào kỳ đã đóng."))
    elif not period.is_open and not allow_closed_period:
        problems.append(Problem("period", f"Kỳ báo cáo {period.label} đã đóng, không nhập được báo cáo."))
    if report is not None and not report.is_editable:
        problems.append(Problem("period", f"Báo cáo {period.label} của {unit} đã gửi hoặc đã duyệt, không thể thay thế."))
    elif actor is not None and not allowed(actor, "reports.edit_report", report or Report(unit=unit, period=period)):
        problems.append(Problem("unit", f"Bạn không có quyền nhập báo cáo của {unit}."))
    return problems


def _refuse_import(report, unit, period, *, actor, allow_closed_period):
    """ReportError (NotAllowed for a missing right) listing every import problem, as Problems."""
    problems = import_problems(report, unit, period, actor=actor, allow_closed_period=allow_closed_period)
    if problems:
        error = NotAllowed if any(p.path in ("unit", "--allow-closed-period") for p in problems) else ReportError
        raise error(problems[0].message, problems)


def replace_report(unit, period, *, actor, apply, source, submit=False, allow_closed_period=False,
                   expected_revision=None):
    """Create or replace the draft of (unit, period) with ``apply(locked_report)``; optionally submit.

    The report row is created if needed and locked first; then the import rules
    (``import_problems``) decide, on the locked row and the period as committed now.
    ``expected_revision`` (the report's revision when the user previewed the file; 0 for "no report
    yet") refuses a file confirmed after someone else changed the report. Every part's revision is
    bumped; the timeline records the import and, with ``allow_closed_period``, that a closed period
    was written to. ``actor=None`` is the system (the ``import_report`` command). Raises ReportError
    (NotAllowed, StaleRevision) and whatever ``apply`` raises; nothing is saved then.
    """
    rules = {"actor": actor, "allow_closed_period": allow_closed_period}
    with transaction.atomic():
        period = ReportingPeriod.objects.get(pk=period.pk)
        report = Report.objects.filter(unit=unit, period=period).first()
        created = False
        if report is None:
            _refuse_import(None, unit, period, **rules)
            report, created = _create(unit, period, actor=actor, allow_closed_period=True,
                                      reason=f"Tạo báo cáo khi nhập {source}")
        locked = _lock(report)
        _refuse_import(locked, unit, period, **rules)
        current = 0 if created else locked.revision
        if expected_revision is not None and int(expected_revision) != current:
            raise StaleRevision("Báo cáo vừa được thay đổi sau khi bạn xem trước tệp. Hãy tải tệp lên lại để xem trước.")
        if not period.is_open:
            _note(locked, actor, HISTORICAL_IMPORT_REASON)
        apply(locked)
        for part in part_registry.parts():
            locked.part_revisions[part.key] = locked.part_revision(part.key) + 1
        locked.revision += 1
        locked._change_reason = f"Nhập từ {source}"
        locked.save()
        _note(locked, actor, f"Nhập dữ liệu từ {source}")
        if submit:
            _submit_locked(locked, actor, system=actor is None)
    return Report.objects.select_related("unit", "period").get(pk=locked.pk)


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
