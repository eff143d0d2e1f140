"""Entry screens of the core parts: validation, no lost work, optimistic version check, autosave."""

import datetime as dt

import pytest

from reports import services
from reports.models import PlanTask, ReportStatus

pytestmark = pytest.mark.django_db


def header_data(report, **overrides):
    data = {
        "part_revision": report.part_revision("header"),
        "header-doc_number": "12/BC-UBND", "header-place": "Vĩnh Long", "header-doc_date": "05/06/2024",
        "header-subject": "", "header-addressee": "Phòng Nội vụ huyện Vĩnh Linh",
        "header-recipients": "Phòng Nội vụ (b/c)\nLưu: VT.", "header-signer_name": "Trần Quốc Lương",
        "header-signer_title": "Chủ tịch", "header-signer_capacity": "TM",
    }
    data.update(overrides)
    return data


def direction_data(report, tasks=(), **overrides):
    data = {
        "part_revision": report.part_revision("direction"),
        "direction-plan_reference": "Kế hoạch số 02/KH-UBND ngày 05/01/2024", "direction-plan_contents": "3",
        "direction-plan_itemised": "on",
        "tasks-TOTAL_FORMS": str(len(tasks)), "tasks-INITIAL_FORMS": "0",
        "directives-TOTAL_FORMS": "0", "directives-INITIAL_FORMS": "0",
    }
    for i, (title, status) in enumerate(tasks):
        data.update({f"tasks-{i}-title": title, f"tasks-{i}-status": status, f"tasks-{i}-group": "1",
                     f"tasks-{i}-due": "15/12/2024", f"tasks-{i}-responsible": "VP-TK"})
    data.update(overrides)
    return data


def test_header_saves_day_first_date(as_user, report):
    response = as_user("officer").post(f"/bao-cao/{report.pk}/thong-tin/", header_data(report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.doc_date == dt.date(2024, 6, 5)
    assert report.part_revision("header") == 1


def test_invalid_header_saves_nothing_and_keeps_typed_values(as_user, report):
    response = as_user("officer").post(
        f"/bao-cao/{report.pk}/thong-tin/",
        header_data(report, **{"header-doc_number": "12BC", "header-signer_name": "Người mới"}),
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Số ký hiệu phải có dạng" in body
    assert 'value="Người mới"' in body
    report.refresh_from_db()
    assert report.signer_name != "Người mới"


def test_second_editor_sees_the_other_save_and_does_not_overwrite(as_user, report):
    first, second = as_user("officer"), as_user("leader")
    loaded = header_data(report)
    assert first.post(f"/bao-cao/{report.pk}/thong-tin/", {**loaded, "header-signer_name": "Người A"}).status_code == 302
    response = second.post(f"/bao-cao/{report.pk}/thong-tin/", {**loaded, "header-signer_name": "Người B"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Người A" in body and "Người B" in body
    report.refresh_from_db()
    assert report.signer_name == "Người A"
    # Saving again after seeing the changes is a conscious overwrite.
    again = second.post(f"/bao-cao/{report.pk}/thong-tin/",
                        {**header_data(report), "header-signer_name": "Người B"})
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.signer_name == "Người B"


def test_autosave_saves_valid_input_and_skips_invalid(as_user, report):
    client = as_user("officer")
    ok = client.post(f"/bao-cao/{report.pk}/thong-tin/", {**header_data(report), "autosave": "1"})
    assert "Đã tự động lưu" in ok.content.decode()
    report.refresh_from_db()
    assert report.signer_name == "Trần Quốc Lương"
    bad = client.post(f"/bao-cao/{report.pk}/thong-tin/",
                      {**header_data(report), "autosave": "1", "header-doc_date": "31/02/2024"})
    assert "Chưa tự động lưu" in bad.content.decode()


def test_autosave_without_a_revision_token_saves_nothing_and_says_why(as_user, report):
    data = {**header_data(report, **{"header-signer_name": "Không Phiên Bản"}), "autosave": "1"}
    del data["part_revision"]
    response = as_user("officer").post(f"/bao-cao/{report.pk}/thong-tin/", data)
    assert "Chưa tự động lưu: Thiếu phiên bản" in response.content.decode()
    report.refresh_from_db()
    assert report.signer_name != "Không Phiên Bản" and report.part_revision("header") == 0


def test_direction_counts_itemised_tasks(as_user, report):
    tasks = [("Nhiệm vụ 1", "done"), ("Nhiệm vụ 2", "done"), ("Nhiệm vụ 3", "in_progress")]
    response = as_user("officer").post(f"/bao-cao/{report.pk}/chi-dao/", direction_data(report, tasks))
    assert response.status_code == 302
    from reports.parts import all_facts

    facts = all_facts(report)
    assert facts["direction.task_total"] == 3 and facts["direction.tasks_done"] == 2
    assert facts["direction.task_rate"] == "66,67%"


def test_direction_refuses_more_fixed_than_found(as_user, report):
    response = as_user("officer").post(
        f"/bao-cao/{report.pk}/chi-dao/",
        direction_data(report, **{"direction-issues_found": "3", "direction-issues_fixed": "5"}),
    )
    assert response.status_code == 422
    assert "Số vấn đề đã xử lý xong (5) lớn hơn số vấn đề phát hiện (3)" in response.content.decode()
    report.refresh_from_db()
    assert report.issues_found is None


def test_direction_refuses_typed_total_beside_listed_directives(as_user, report):
    data = direction_data(report, **{
        "directives-TOTAL_FORMS": "1", "directives-0-number": "01/QĐ-UBND", "directives-0-title": "KH CCHC",
        "direction-directive_total": "4"})
    response = as_user("officer").post(f"/bao-cao/{report.pk}/chi-dao/", data)
    assert response.status_code == 422
    assert "Đã liệt kê 1 văn bản chỉ đạo" in response.content.decode()


def test_direction_page_queries_do_not_grow_with_tasks(as_user, report, django_assert_max_num_queries):
    client = as_user("officer")

    def add_tasks(n):
        PlanTask.objects.bulk_create([PlanTask(report=report, title=f"NV {i}", position=i) for i in range(n)])

    add_tasks(5)
    with django_assert_max_num_queries(30) as small:
        client.get(f"/bao-cao/{report.pk}/chi-dao/")
    add_tasks(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/bao-cao/{report.pk}/chi-dao/")


def test_reviewer_sees_what_changed_since_last_submission(as_user, report, users):
    officer = as_user("officer")
    officer.post(f"/bao-cao/{report.pk}/thong-tin/", header_data(report))
    report.refresh_from_db()
    services.submit_report(report, actor=users["leader"])
    services.return_report(report, actor=users["reviewer"], reason="Sai người ký")
    report.refresh_from_db()
    officer.post(f"/bao-cao/{report.pk}/thong-tin/", header_data(report, **{"header-signer_name": "Lê Văn Mới"}))
    report.refresh_from_db()
    services.submit_report(report, actor=users["leader"])
    page = as_user("reviewer").get(f"/bao-cao/{report.pk}/").content.decode()
    assert "Thay đổi so với lần gửi trước" in page
    assert "Lê Văn Mới" in page and "Trần Quốc Lương" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_new_report_is_prefilled_from_previous(make_report, vinh_long, as_user):
    q1 = make_report(vinh_long, 2024, "Q1")
    as_user("officer").post(f"/bao-cao/{q1.pk}/thong-tin/", header_data(q1, **{"header-doc_date": "10/03/2024"}))
    as_user("officer").post(f"/bao-cao/{q1.pk}/chi-dao/", direction_data(q1, [("Nhiệm vụ 1", "in_progress")]))
    q2 = make_report(vinh_long, 2024, "Q2")
    assert q2.signer_name == "Trần Quốc Lương"
    assert q2.plan_reference.startswith("Kế hoạch số 02")
    assert list(q2.tasks.values_list("title", flat=True)) == ["Nhiệm vụ 1"]
    assert q2.doc_number == ""  # each report gets its own number
