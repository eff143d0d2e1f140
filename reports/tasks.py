"""Periodic jobs of the core: open a year's periods; remind communes of deadlines."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone

# The document tasks live with the documents; imported here so that Celery's autodiscovery (which
# imports ``<app>.tasks`` of every installed app) registers them in every worker.
from .documents import tasks as document_tasks  # noqa: F401
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
