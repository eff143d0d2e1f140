"""The report workflow through its services and views: only a leader submits, a return and a reopen
need a reason, approval locks the report, and every step is a row of the timeline."""

import pytest

from reports import services
from reports.models import Report, ReportingPeriod, ReportStatus, ReportTransition

pytestmark = pytest.mark.django_db


def complete(report):
    """Fill what submission requires of the core parts (signer and place)."""
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
    report.save()
    return report


def statuses(report):
    return list(report.transitions.order_by("at", "pk").values_list("from_status", "to_status"))


def test_new_report_starts_as_draft_with_one_timeline_row(report, users):
    assert report.status == ReportStatus.DRAFT
    row = report.transitions.get()
    assert (row.from_status, row.to_status, row.actor) == ("", ReportStatus.DRAFT, users["officer"])
    assert row.reason.startswith("Tạo báo cáo")


def test_opening_twice_gives_the_same_report(report, users):
    assert services.open_report(report.unit, report.period, actor=users["leader"]) == report
    assert Report.objects.filter(unit=report.unit, period=report.period).count() == 1


def test_officer_may_not_submit(as_user, report):
    complete(report)
    assert as_user("officer").post(f"/bao-cao/{report.pk}/gui/").status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_leader_submits(as_user, report):
    complete(report)
    response = as_user("leader").post(f"/bao-cao/{report.pk}/gui/")
    assert response.status_code == 302 and response["Location"] == f"/bao-cao/{report.pk}/"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at is not None and report.first_submitted_at == report.submitted_at
    assert report.submitted_revision == report.revision


def test_incomplete_report_is_not_submitted_and_problems_are_named(as_user, report, users):
    with pytest.raises(services.ReportError) as refused:
        services.submit_report(report, actor=users["leader"])
    assert str(refused.value) == "Báo cáo còn lỗi, chưa gửi được."
    assert any("Chưa nhập người ký." in problem for problem in refused.value.problems)
    page = as_user("leader").post(f"/bao-cao/{report.pk}/gui/", follow=True).content.decode()
    assert "Báo cáo còn lỗi, chưa gửi được." in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_submitted_report_is_read_only_for_the_commune(as_user, report, users):
    services.submit_report(complete(report), actor=users["leader"])
    assert as_user("officer").post(f"/bao-cao/{report.pk}/thong-tin/", {"header-place": "X"}).status_code == 403
    report.refresh_from_db()
    with pytest.raises(services.ReportError, match="đã gửi hoặc đã duyệt"):
        services.save_part(report, "header", expected_revision=report.part_revision("header"),
                           actor=users["officer"], apply=lambda locked: setattr(locked, "place", "X"))
    report.refresh_from_db()
    assert report.place == "Vĩnh Long"


def test_return_needs_a_reason(report, users):
    services.submit_report(complete(report), actor=users["leader"])
    for blank in ("", "   ", None):
        with pytest.raises(services.ReportError, match="Phải nêu lý do trả lại"):
            services.return_report(report, actor=users["reviewer"], reason=blank)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_only_a_submitted_report_can_be_returned_or_approved(report, users):
    with pytest.raises(services.ReportError, match="Chỉ trả lại được báo cáo đã gửi"):
        services.return_report(report, actor=users["reviewer"], reason="Lý do")
    with pytest.raises(services.ReportError, match="Chỉ duyệt được báo cáo đã gửi"):
        services.approve_report(report, actor=users["reviewer"])


def test_returned_report_can_be_edited_and_submitted_again(as_user, report, users):
    services.submit_report(complete(report), actor=users["leader"])
    services.return_report(report, actor=users["reviewer"], reason="Bổ sung số liệu")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.is_editable
    assert as_user("officer").get(f"/bao-cao/{report.pk}/thong-tin/").status_code == 200
    services.submit_report(report, actor=users["leader"])
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_approval_locks_the_report(as_user, report, users):
    services.submit_report(complete(report), actor=users["leader"])
    response = as_user("reviewer").post(f"/bao-cao/{report.pk}/duyet/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.is_locked and report.approved_at
    assert as_user("officer").post(f"/bao-cao/{report.pk}/thong-tin/", {"header-place": "X"}).status_code == 403
    assert as_user("leader").post(f"/bao-cao/{report.pk}/gui/").status_code == 403
    with pytest.raises(services.ReportError):
        services.submit_report(report, actor=users["leader"])
    page = as_user("officer").get(f"/bao-cao/{report.pk}/").content.decode()
    assert "Báo cáo đã duyệt, không thể sửa." in page


def test_reopen_needs_a_reason_and_unlocks(as_user, report, users):
    services.submit_report(complete(report), actor=users["leader"])
    services.approve_report(report, actor=users["reviewer"])
    with pytest.raises(services.ReportError, match="Phải nêu lý do mở lại"):
        services.reopen_report(report, actor=users["reviewer"], reason=" ")
    as_user("reviewer").post(f"/bao-cao/{report.pk}/mo-lai/", {"reason": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    as_user("reviewer").post(f"/bao-cao/{report.pk}/mo-lai/", {"reason": "Sửa ngày văn bản"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.approved_at is None


def test_commune_may_not_review_its_own_report(as_user, report, users):
    services.submit_report(complete(report), actor=users["leader"])
    for role in ("officer", "leader"):
        client = as_user(role)
        assert client.post(f"/bao-cao/{report.pk}/duyet/").status_code == 403
        assert client.post(f"/bao-cao/{report.pk}/tra-lai/", {"reason": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_timeline_records_every_step_with_actor_and_reason(as_user, report, users):
    complete(report)
    services.submit_report(report, actor=users["leader"])
    services.return_report(report, actor=users["reviewer"], reason="Bổ sung số liệu một cửa")
    services.submit_report(report, actor=users["leader"])
    services.approve_report(report, actor=users["reviewer"])
    services.reopen_report(report, actor=users["admin"], reason="Sửa ngày văn bản")
    assert statuses(report) == [
        ("", "draft"), ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
        ("submitted", "approved"), ("approved", "returned"),
    ]
    rows = list(report.transitions.order_by("at", "pk"))
    assert [r.actor.username for r in rows[1:]] == [
        "lanhdao.vinhlong", "noivu.vinhlinh", "lanhdao.vinhlong", "noivu.vinhlinh", "quantri",
    ]
    assert rows[2].reason == "Bổ sung số liệu một cửa" and rows[5].reason == "Sửa ngày văn bản"
    assert ReportTransition.objects.filter(report=report).count() == 6

    history = as_user("officer").get(f"/bao-cao/{report.pk}/lich-su/")
    assert history.status_code == 200
    assert list(history.context["transitions"]) == rows
    html = history.content.decode()
    assert "Bổ sung số liệu một cửa" in html and "Sửa ngày văn bản" in html


def test_opening_a_report_in_a_closed_period_is_refused_with_a_message(as_user, vinh_long):
    period = ReportingPeriod.objects.get(year=2024, kind="Q3")
    period.is_open = False
    period.save()
    page = as_user("officer").post(f"/bao-cao/mo/{vinh_long.pk}/{period.pk}/", follow=True).content.decode()
    assert "Kỳ báo cáo này đã đóng, không tạo được báo cáo mới." in page
    assert not Report.objects.filter(unit=vinh_long, period=period).exists()


def test_reviewer_may_not_open_a_commune_s_report_and_officer_may(as_user, vinh_long):
    period = ReportingPeriod.objects.get(year=2024, kind="Q3")
    assert as_user("reviewer").post(f"/bao-cao/mo/{vinh_long.pk}/{period.pk}/").status_code == 403
    assert not Report.objects.filter(unit=vinh_long, period=period).exists()
    response = as_user("officer").post(f"/bao-cao/mo/{vinh_long.pk}/{period.pk}/")
    report = Report.objects.get(unit=vinh_long, period=period)
    assert response.status_code == 302 and response["Location"] == f"/bao-cao/{report.pk}/"
