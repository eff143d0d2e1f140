"""Deadline reminders: officers and leaders of communes whose report is missing, a draft or returned
get an e-mail REPORT_REMINDER_DAYS before the deadline; sent reports stop the reminders."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from reports import services
from reports.models import ReportingPeriod
from reports.tasks import deadline_reminders, send_deadline_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_period(period):
    """Q2/2024, its deadline moved to REPORT_REMINDER_DAYS days from today; no other period due then."""
    due = timezone.localdate() + dt.timedelta(days=settings.REPORT_REMINDER_DAYS)
    ReportingPeriod.objects.filter(deadline=due).exclude(pk=period.pk).update(deadline=due - dt.timedelta(days=1))
    period.deadline = due
    period.is_open = True
    period.save()
    return period


def recipients(messages):
    return sorted(address for _subject, _body, _sender, to in messages for address in to)


def test_officer_leader_and_other_commune_are_reminded(due_period):
    messages = deadline_reminders()
    assert recipients(messages) == [
        "hoxa@example.vn", "lien@vinhlong.example.vn", "luong@vinhlong.example.vn",
    ]
    subject, body, sender, _to = next(m for m in messages if m[3] == ["lien@vinhlong.example.vn"])
    assert subject == "Nhắc hạn nộp báo cáo CCHC quý II năm 2024"
    assert f"Hạn nộp là ngày {due_period.deadline:%d/%m/%Y}" in body
    assert "Xã Vĩnh Long" in body
    assert sender == settings.DEFAULT_FROM_EMAIL


def test_reviewers_are_not_reminded(due_period):
    assert not {"noivu@vinhlinh.example.vn", "snv@quangtri.example.vn", "khac@example.vn"} & set(
        recipients(deadline_reminders()))


def test_submitted_report_stops_the_reminder(due_period, report, users):
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
    report.save()
    services.submit_report(report, actor=users["leader"])
    assert recipients(deadline_reminders()) == ["hoxa@example.vn"]


def test_returned_report_is_reminded_again(due_period, report, users):
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
    report.save()
    services.submit_report(report, actor=users["leader"])
    services.return_report(report, actor=users["reviewer"], reason="Thiếu số liệu.")
    assert "lien@vinhlong.example.vn" in recipients(deadline_reminders())


def test_closed_period_is_not_reminded(due_period):
    due_period.is_open = False
    due_period.save()
    assert deadline_reminders() == []


def test_other_days_send_nothing(due_period):
    assert deadline_reminders(today=timezone.localdate() + dt.timedelta(days=1)) == []
    assert recipients(deadline_reminders(days=settings.REPORT_REMINDER_DAYS + 1)) == []


def test_task_sends_the_mails(due_period):
    assert send_deadline_reminders.apply().get() == 3
    assert len(mail.outbox) == 3
    assert {m.subject for m in mail.outbox} == {"Nhắc hạn nộp báo cáo CCHC quý II năm 2024"}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "hoxa@example.vn", "lien@vinhlong.example.vn", "luong@vinhlong.example.vn",
    ]


def test_beat_schedules_the_reminders_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["deadline-reminders"]
    assert entry["task"] == send_deadline_reminders.name == "reports.send_deadline_reminders"
    assert entry["schedule"].hour == {7}
