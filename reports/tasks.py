"""Periodic jobs of the core: open a year's periods; remind communes of deadlines."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone

from .models import AdministrativeUnit, Membership, Report, ReportingPeriod, ReportStatus, Role
from .services import open_year_periods


@shared_task(name="reports.open_year_periods")
def open_year_periods_task(year=None):
    year = year or timezone.localdate().year + 1
    return [p.pk for p in open_year_periods(year)]


def deadline_reminders(today=None, days=None):
    """(e-mail, subject, body) for every officer of a commune whose report of a period due in
    ``days`` days is missing or still a draft (or returned)."""
    today = today or timezone.localdate()
    days = settings.REPORT_REMINDER_DAYS if days is None else days
    due = today + dt.timedelta(days=days)
    messages = []
    for period in ReportingPeriod.objects.filter(deadline=due, is_open=True):
        done = set(
            Report.objects.filter(period=period, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED])
            .values_list("unit_id", flat=True)
        )
        communes = AdministrativeUnit.objects.communes().valid_on(period.reference_date).exclude(pk__in=done)
        memberships = (
            Membership.objects.filter(unit__in=communes, role__in=[Role.OFFICER, Role.LEADER])
            .exclude(user__email="").select_related("user", "unit")
        )
        for membership in memberships:
            subject = f"Nhắc hạn nộp báo cáo CCHC {period.label}"
            body = (
                f"Kính gửi {membership.user.get_full_name() or membership.user.username},\n\n"
                f"Báo cáo CCHC {period.label} của {membership.unit} chưa được gửi. "
                f"Hạn nộp là ngày {period.deadline:%d/%m/%Y} (còn {days} ngày).\n\n"
                f"{settings.SITE_NAME}"
            )
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [membership.user.email]))
    return messages


@shared_task(name="reports.send_deadline_reminders")
def send_deadline_reminders():
    messages = deadline_reminders()
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)




# --- Official documents (issue 5) ------------------------------------------------------------------

from celery.contrib.django.task import DjangoTask  # noqa: E402

from .documents import services as document_services  # noqa: E402


class RenderTask(DjangoTask):
    """Marks the document failed once the retries for transient errors are used up."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if args:
            document_services.mark_failed(args[0], f"{type(exc).__name__}: {exc}")


@shared_task(
    name="reports.render_document", base=RenderTask, bind=True, acks_late=True,
    autoretry_for=document_services.TRANSIENT_ERRORS, retry_backoff=5, retry_backoff_max=120,
    retry_jitter=True, max_retries=5,
)
def render_document_task(self, document_id):
    """Render one RenderedDocument row (by id); the body is ``documents.services.render_document``."""
    document = document_services.render_document(document_id)
    return None if document is None else document.status


@shared_task(name="reports.expire_documents")
def expire_documents_task():
    """Remove files of superseded document versions whose retention has passed."""
    return document_services.expire_documents()
