"""Reviewer side: the period table (status, date, late flag, filters), comments, bulk approval."""

import datetime as dt

import pytest
from django.utils import timezone

from reports import services
from reports.models import PartComment, ReportStatus

pytestmark = pytest.mark.django_db


def submit_on(report, leader, day):
    report.signer_name, report.place = "Người ký", report.unit.short_name
    report.save()
    services.submit_report(report, actor=leader)
    report.refresh_from_db()
    report.submitted_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    report.save()
    return report


@pytest.fixture
def two_reports(make_report, vinh_long, ho_xa, users, period):
    on_time = make_report(vinh_long, 2024, "Q2")
    late = make_report(ho_xa, 2024, "Q2")
    submit_on(on_time, users["leader"], period.deadline)
    # Hồ Xá has no leader in the demo: the admin submits for the test.
    submit_on(late, users["admin"], period.deadline + dt.timedelta(days=3))
    return on_time, late


def test_period_table_lists_all_communes_with_status_and_late_flag(as_user, two_reports, period):
    response = as_user("reviewer").get(f"/tham-dinh/ky/{period.pk}/")
    rows = {row["unit"].code: row for row in response.context["rows"]}
    assert len(rows) == 18
    assert rows["19387"]["report"].status == ReportStatus.SUBMITTED and rows["19387"]["late"] is False
    assert rows["19363"]["late"] is True
    assert rows["19366"]["report"] is None


@pytest.mark.parametrize("query, expected", [
    ("status=submitted", {"19387", "19363"}),
    ("late=1&status=submitted", {"19363"}),
    ("q=vĩnh long", {"19387"}),
])
def test_period_table_filters(as_user, two_reports, period, query, expected):
    response = as_user("reviewer").get(f"/tham-dinh/ky/{period.pk}/?{query}")
    assert {row["unit"].code for row in response.context["rows"]} == expected


def test_bulk_approve(as_user, two_reports, period):
    on_time, late = two_reports
    response = as_user("reviewer").post(f"/tham-dinh/ky/{period.pk}/", {"report": [on_time.pk, late.pk]})
    assert response.status_code == 302
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.status == late.status == ReportStatus.APPROVED


def test_bulk_approve_ignores_reports_out_of_scope(as_user, two_reports, period):
    on_time, _ = two_reports
    as_user("outside_reviewer").post(f"/tham-dinh/ky/{period.pk}/", {"report": [on_time.pk]})
    on_time.refresh_from_db()
    assert on_time.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("role, expected", [(None, 302), ("officer", 403), ("reviewer", 200), ("admin", 200)])
def test_period_table_permissions(as_user, period, role, expected):
    assert as_user(role).get(f"/tham-dinh/ky/{period.pk}/").status_code == expected


def test_reviewer_comments_on_a_part_and_officer_sees_it(as_user, report):
    response = as_user("reviewer").post(f"/bao-cao/{report.pk}/nhan-xet/header/", {"text": "Thiếu số ký hiệu"})
    assert response.status_code == 302
    assert PartComment.objects.get(report=report).part == "header"
    assert "Thiếu số ký hiệu" in as_user("officer").get(f"/bao-cao/{report.pk}/thong-tin/").content.decode()


def test_officer_cannot_comment(as_user, report):
    assert as_user("officer").post(f"/bao-cao/{report.pk}/nhan-xet/header/", {"text": "x"}).status_code == 403


def test_return_requires_reason_and_shows_on_timeline(as_user, report, users):
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
    report.save()
    services.submit_report(report, actor=users["leader"])
    reviewer = as_user("reviewer")
    reviewer.post(f"/bao-cao/{report.pk}/tra-lai/", {"reason": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    reviewer.post(f"/bao-cao/{report.pk}/tra-lai/", {"reason": "Bổ sung số liệu một cửa"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    page = as_user("officer").get(f"/bao-cao/{report.pk}/").content.decode()
    assert "Bổ sung số liệu một cửa" in page


def test_approved_report_is_locked_until_reopened(as_user, report, users):
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
    report.save()
    services.submit_report(report, actor=users["leader"])
    services.approve_report(report, actor=users["reviewer"])
    assert as_user("officer").post(f"/bao-cao/{report.pk}/thong-tin/", {}).status_code == 403
    as_user("reviewer").post(f"/bao-cao/{report.pk}/mo-lai/", {"reason": "Sửa ngày văn bản"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert as_user("officer").get(f"/bao-cao/{report.pk}/thong-tin/").status_code == 200
