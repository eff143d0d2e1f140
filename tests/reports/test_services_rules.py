"""The services decide, after locking the report: the revision token is mandatory, imports obey the
UI's rules (closed period, submitted or approved report, rights) with one recorded exception for
historical loads, comments go to registered parts only, the superuser passes no state rule, the
admin cannot edit a report, and field limits come from the model columns."""

import copy
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from reports import limits, services
from reports.interchange import ImportRefused, export_report, import_report
from reports.models import PartComment, Report, ReportingPeriod, ReportStatus

pytestmark = pytest.mark.django_db


def complete(report):
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
    report.save()
    return report


def document_for(report, kind):
    """The report's export, aimed at another period of the same year (where no report exists yet)."""
    document = copy.deepcopy(export_report(complete(report)))
    document["period"]["kind"] = kind
    document["document"]["signer"]["name"] = "Người Nhập"
    return document


def close(year, kind):
    period = ReportingPeriod.objects.get(year=year, kind=kind)
    period.is_open = False
    period.save()
    return period


def write(tmp_path, document):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def upload(client, document):
    raw = json.dumps(document, ensure_ascii=False).encode()
    return client.post("/bao-cao/nhap-tep/", {"file": SimpleUploadedFile("r.json", raw, "application/json")})


# --- the revision token ----------------------------------------------------------------------------

@pytest.mark.parametrize("token", [None, "", "  ", "abc"])
def test_save_without_a_revision_token_is_refused(report, users, token):
    with pytest.raises(services.ReportError, match="phiên bản|Phiên bản") as refused:
        services.save_part(report, "header", expected_revision=token, actor=users["officer"],
                           apply=lambda locked: setattr(locked, "signer_name", "Ghi đè"))
    assert not isinstance(refused.value, services.StaleRevision)
    report.refresh_from_db()
    assert report.signer_name != "Ghi đè" and report.part_revision("header") == 0


def test_entry_screen_post_without_its_revision_saves_nothing_and_keeps_the_typed_text(as_user, report):
    data = {"header-doc_number": "12/BC-UBND", "header-place": "Vĩnh Long", "header-doc_date": "05/06/2024",
            "header-subject": "", "header-addressee": "Phòng Nội vụ", "header-recipients": "Lưu: VT.",
            "header-signer_name": "Không Có Phiên Bản", "header-signer_title": "Chủ tịch",
            "header-signer_capacity": "TM"}
    response = as_user("officer").post(f"/bao-cao/{report.pk}/thong-tin/", data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Thiếu phiên bản" in body and 'value="Không Có Phiên Bản"' in body
    report.refresh_from_db()
    assert report.signer_name != "Không Có Phiên Bản"


def test_a_save_without_an_actor_is_refused(report):
    with pytest.raises(services.NotAllowed):
        services.save_part(report, "header", expected_revision=0, actor=None, apply=lambda locked: None)


def test_saving_an_unknown_part_is_refused(report, users):
    with pytest.raises(services.ReportError, match="Không có phần"):
        services.save_part(report, "no_such_part", expected_revision=0, actor=users["officer"],
                           apply=lambda locked: None)


# --- the superuser and the state rules -----------------------------------------------------------

def test_superuser_cannot_edit_a_submitted_report_through_the_service(report, users):
    services.submit_report(complete(report), actor=users["leader"])
    report.refresh_from_db()
    with pytest.raises(services.ReportError, match="đã gửi hoặc đã duyệt"):
        services.save_part(report, "header", expected_revision=report.part_revision("header"),
                           actor=users["admin"], apply=lambda locked: setattr(locked, "signer_name", "Quản trị"))
    with pytest.raises(ImportRefused):
        import_report(export_report(report), actor=users["admin"])
    report.refresh_from_db()
    assert report.signer_name == "Trần Quốc Lương" and report.status == ReportStatus.SUBMITTED


def test_superuser_cannot_submit_an_approved_report_again(report, users):
    services.submit_report(complete(report), actor=users["leader"])
    services.approve_report(report, actor=users["reviewer"])
    with pytest.raises(services.ReportError, match="Chỉ gửi được"):
        services.submit_report(report, actor=users["admin"])


def test_services_check_the_actor_s_rights_themselves(report, users):
    complete(report)
    with pytest.raises(services.NotAllowed):
        services.submit_report(report, actor=users["officer"])  # only the leader submits
    services.submit_report(report, actor=users["leader"])
    for outsider in ("outside_reviewer", "officer", "leader"):
        with pytest.raises(services.NotAllowed):
            services.approve_report(report, actor=users[outsider])
    with pytest.raises(services.NotAllowed):
        services.return_report(report, actor=None, reason="Hệ thống")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_open_report_refuses_a_closed_period_and_a_user_without_rights(vinh_long, users):
    period = close(2024, "Q3")
    with pytest.raises(services.ReportError, match="đã đóng"):
        services.open_report(vinh_long, period, actor=users["officer"])
    with pytest.raises(services.NotAllowed):
        services.open_report(vinh_long, ReportingPeriod.objects.get(year=2024, kind="Q4"), actor=users["other_officer"])
    assert not Report.objects.filter(unit=vinh_long, period__kind__in=["Q3", "Q4"], period__year=2024).exists()


# --- imports obey the UI's rules -------------------------------------------------------------------

def test_command_refuses_an_import_into_a_closed_period(report, tmp_path):
    document = document_for(report, "Q3")
    close(2024, "Q3")
    with pytest.raises(CommandError) as refused:
        call_command("import_report", write(tmp_path, document), stdout=StringIO())
    assert "Kỳ báo cáo quý III năm 2024 đã đóng" in str(refused.value)
    assert not Report.objects.filter(unit=report.unit, period__year=2024, period__kind="Q3").exists()


def test_upload_refuses_an_import_into_a_closed_period_at_preview_and_at_confirm(as_user, report):
    document = document_for(report, "Q3")
    client = as_user("officer")
    preview = upload(client, document)
    assert preview.status_code == 200  # still open when previewed
    close(2024, "Q3")  # the admin closes the period before the officer confirms
    response = client.post("/bao-cao/nhap-tep/", {"confirm": "1"})
    assert response.status_code == 422 and "đã đóng" in response.content.decode()
    assert not Report.objects.filter(unit=report.unit, period__year=2024, period__kind="Q3").exists()
    response = upload(client, document)
    assert response.status_code == 422 and "đã đóng" in response.content.decode()


def test_allow_closed_period_loads_history_and_says_so_in_the_timeline(report, tmp_path):
    document = document_for(report, "Q3")
    close(2024, "Q3")
    call_command("import_report", write(tmp_path, document), "--allow-closed-period", stdout=StringIO())
    imported = Report.objects.get(unit=report.unit, period__year=2024, period__kind="Q3")
    assert imported.signer_name == "Người Nhập" and imported.status == ReportStatus.DRAFT
    reasons = list(imported.transitions.order_by("at", "pk").values_list("reason", flat=True))
    assert reasons[0].startswith("Tạo báo cáo khi nhập tệp cchc-report/1")
    assert services.HISTORICAL_IMPORT_REASON in reasons
    assert reasons[-1] == "Nhập dữ liệu từ tệp cchc-report/1"


def test_only_an_admin_may_load_history_into_a_closed_period(report, users):
    document = document_for(report, "Q3")
    close(2024, "Q3")
    with pytest.raises(ImportRefused) as refused:
        import_report(document, actor=users["officer"], allow_closed_period=True)
    assert "Chỉ quản trị" in str(refused.value.problems[0])
    imported = import_report(document, actor=users["admin"], allow_closed_period=True)
    assert services.HISTORICAL_IMPORT_REASON in imported.transitions.values_list("reason", flat=True)


def test_an_import_into_an_open_period_is_not_marked_historical(report, users):
    imported = import_report(document_for(report, "Q3"), actor=users["officer"])
    reasons = list(imported.transitions.values_list("reason", flat=True))
    assert services.HISTORICAL_IMPORT_REASON not in reasons
    assert any(r.startswith("Tạo báo cáo khi nhập") for r in reasons)


def test_command_refuses_to_replace_a_submitted_report(report, users, tmp_path):
    services.submit_report(complete(report), actor=users["leader"])
    document = export_report(report)
    document["document"]["signer"]["name"] = "Người Nhập"
    with pytest.raises(CommandError) as refused:
        call_command("import_report", write(tmp_path, document), stdout=StringIO())
    assert "đã gửi hoặc đã duyệt" in str(refused.value)
    report.refresh_from_db()
    assert report.signer_name == "Trần Quốc Lương" and report.submitted_revision == report.revision


def test_upload_confirmed_after_the_leader_submitted_is_refused(as_user, report, users):
    document = export_report(complete(report))
    document["document"]["signer"]["name"] = "Người Nhập"
    client = as_user("officer")
    assert upload(client, document).status_code == 200
    services.submit_report(report, actor=users["leader"])
    response = client.post("/bao-cao/nhap-tep/", {"confirm": "1"})
    assert response.status_code == 422 and "đã gửi hoặc đã duyệt" in response.content.decode()
    report.refresh_from_db()
    assert report.signer_name == "Trần Quốc Lương" and report.status == ReportStatus.SUBMITTED


def test_upload_confirmed_after_someone_else_saved_is_refused(as_user, report, users):
    document = export_report(complete(report))
    client = as_user("officer")
    assert upload(client, document).status_code == 200
    services.save_part(report, "header", expected_revision=0, actor=users["leader"],
                       apply=lambda locked: setattr(locked, "signer_name", "Lãnh Đạo Sửa"))
    response = client.post("/bao-cao/nhap-tep/", {"confirm": "1"})
    assert response.status_code == 422 and "vừa được thay đổi" in response.content.decode()
    report.refresh_from_db()
    assert report.signer_name == "Lãnh Đạo Sửa"


def test_a_reviewer_cannot_import_into_a_report_he_reviews(report, users):
    with pytest.raises(ImportRefused) as refused:
        import_report(export_report(report), actor=users["reviewer"])
    assert "không có quyền" in str(refused.value.problems[0])


# --- comments ----------------------------------------------------------------------------------------

def test_comment_to_an_unknown_part_is_a_404(as_user, report):
    response = as_user("reviewer").post(f"/bao-cao/{report.pk}/nhan-xet/bia-dat/", {"text": "Nhận xét"})
    assert response.status_code == 404
    assert not PartComment.objects.filter(report=report).exists()


def test_comment_service_checks_part_right_and_text(report, users):
    with pytest.raises(services.ReportError, match="Không có phần"):
        services.add_comment(report, "bia-dat", "Nhận xét", actor=users["reviewer"])
    with pytest.raises(services.NotAllowed):
        services.add_comment(report, "header", "Nhận xét", actor=users["officer"])
    with pytest.raises(services.NotAllowed):
        services.add_comment(report, "header", "Nhận xét", actor=users["outside_reviewer"])
    with pytest.raises(services.ReportError, match="không được để trống"):
        services.add_comment(report, "header", "   ", actor=users["reviewer"])
    with pytest.raises(services.ReportError, match="NUL"):
        services.add_comment(report, "header", "a\x00b", actor=users["reviewer"])
    comment = services.add_comment(report, "header", " Thiếu số hiệu ", actor=users["reviewer"])
    assert (comment.part, comment.text, comment.author) == ("header", "Thiếu số hiệu", users["reviewer"])
    assert PartComment.objects.filter(report=report).count() == 1


# --- the admin cannot bypass the workflow --------------------------------------------------------

def test_report_admin_is_read_only(as_user, report, users):
    services.submit_report(complete(report), actor=users["leader"])
    client = as_user("admin")
    url = f"/quan-tri/reports/report/{report.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode() and 'name="signer_name"' not in page.content.decode()
    response = client.post(url, {"status": "draft", "signer_name": "Quản trị sửa", "revision": "99"})
    assert response.status_code == 403
    assert client.get("/quan-tri/reports/report/add/").status_code == 403
    assert client.post(f"/quan-tri/reports/report/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"/quan-tri/reports/report/{report.pk}/history/").status_code == 200  # readable
    history = report.history.order_by("history_id").first()
    assert client.get(f"/quan-tri/reports/report/{report.pk}/history/{history.history_id}/").status_code == 200
    revert = client.post(f"/quan-tri/reports/report/{report.pk}/history/{history.history_id}/", {})
    assert revert.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.signer_name == "Trần Quốc Lương"


def test_comment_admin_cannot_add_or_edit(as_user, report, users):
    comment = services.add_comment(report, "header", "Nhận xét", actor=users["reviewer"])
    client = as_user("admin")
    assert client.get("/quan-tri/reports/partcomment/add/").status_code == 403
    client.post(f"/quan-tri/reports/partcomment/{comment.pk}/change/", {"text": "Sửa", "part": "khac"})
    comment.refresh_from_db()
    assert (comment.text, comment.part) == ("Nhận xét", "header")


# --- field limits --------------------------------------------------------------------------------

def test_limits_come_from_the_model_columns():
    assert limits.integer_bounds(limits.model_field(Report, "plan_contents")) == (0, 2147483647)
    assert limits.integer_bounds(limits.model_field(ReportingPeriod, "year")) == (0, 32767)
    assert limits.max_length(limits.model_field(Report, "subject")) == 400
    assert limits.integer_bounds(limits.model_field(Report, "subject")) is None


@pytest.mark.parametrize("field, value, words", [
    ("subject", "x" * 401, ["401", "400"]),
    ("doc_number", "1/BC\x00", ["NUL", "5"]),
    ("plan_contents", 2147483648, ["2147483648", "0–2147483647"]),
    ("plan_contents", -1, ["-1", "0–2147483647"]),
    ("plan_contents", True, ["số nguyên"]),
])
def test_check_value_names_the_path_and_the_numbers(field, value, words):
    problem = limits.check_value(limits.model_field(Report, field), value, f"document.{field}")
    assert problem is not None and problem.path == f"document.{field}"
    assert all(word in problem.message for word in words), problem.message


@pytest.mark.parametrize("field, value", [("subject", "x" * 400), ("plan_contents", 2147483647),
                                          ("plan_contents", 0), ("subject", None)])
def test_check_value_accepts_what_the_column_holds(field, value):
    assert limits.check_value(limits.model_field(Report, field), value, "p") is None


def test_check_mapping_and_rows_use_json_paths():
    data = {"document": {"number": "9" * 61}, "plan": {"tasks": [{"title": "ok"}, {"title": "t" * 501}]}}
    problems = limits.check_mapping(Report, {"document.number": "doc_number", "document.place": "place"}, data)
    assert [(p.path, "61" in p.message and "60" in p.message) for p in problems] == [("document.number", True)]
    from reports.models import PlanTask

    rows = limits.check_rows(PlanTask, data["plan"]["tasks"], "plan.tasks", {"title": "title"})
    assert [p.path for p in rows] == ["plan.tasks[1].title"]


def test_import_refuses_nul_characters_with_their_path(report):
    document = export_report(complete(report))
    document["sections"] = {"I.1": "Nội dung\x00ẩn"}
    with pytest.raises(ImportRefused) as refused:
        import_report(document)
    assert [p.path for p in refused.value.problems] == ["sections.I.1"]
    assert "NUL" in refused.value.problems[0].message


@pytest.mark.parametrize("path, value, words", [
    (("document", "subject"), "x" * 401, ["401", "400"]),
    (("plan", "contents"), 2147483648, ["2147483648", "2147483647"]),
])
def test_import_refuses_values_the_column_cannot_hold(report, path, value, words):
    document = export_report(complete(report))
    document[path[0]][path[1]] = value
    with pytest.raises(ImportRefused) as refused:
        import_report(document)
    messages = " ".join(str(p) for p in refused.value.problems)
    assert all(word in messages for word in words), messages
    report.refresh_from_db()
    assert report.subject == "" and report.plan_contents is None


def test_forms_take_the_same_integer_bounds_as_imports():
    from django import forms

    class Form(limits.ColumnLimitsMixin, forms.ModelForm):
        class Meta:
            model = Report
            fields = ["plan_contents", "subject"]

    assert not Form({"plan_contents": "2147483648", "subject": ""}).is_valid()
    assert Form({"plan_contents": "2147483647", "subject": ""}).is_valid()
    assert not Form({"plan_contents": "-1", "subject": ""}).is_valid()
    assert not Form({"plan_contents": "", "subject": "x" * 401}).is_valid()
    assert Form().fields["plan_contents"].widget.attrs["max"] == 2147483647


@pytest.mark.parametrize("value, ok", [(9999.99, True), ("9999.994", True), (10000, False), ("9999.999", False),
                                       ("abc", False), ("NaN", False), (True, False)])
def test_check_value_bounds_decimals_by_the_column_digits(value, ok):
    from django.db import models

    field = models.DecimalField("số ngày", max_digits=6, decimal_places=2)
    field.name = "days"
    problem = limits.check_value(field, value, "time_cuts[0].legal_days")
    assert (problem is None) == ok, problem
    if not ok and not isinstance(value, bool) and value not in ("abc", "NaN"):
        assert "9999.99" in problem.message


def test_superuser_passes_role_checks_but_no_state_rule(as_user, report, users):
    admin = users["admin"]
    assert services.allowed(admin, "reports.edit_report", report)  # a draft: the admin may help
    services.submit_report(complete(report), actor=users["leader"])
    report.refresh_from_db()
    assert admin.has_perm("reports.edit_report", report)  # Django's superuser shortcut …
    assert not services.allowed(admin, "reports.edit_report", report)  # … that the services don't take
    assert services.allowed(admin, "reports.review_report", report)
    page = as_user("admin").get(f"/bao-cao/{report.pk}/thong-tin/")
    assert page.context["can_edit"] is False and "Chế độ chỉ xem" in page.content.decode()
    response = as_user("admin").post(f"/bao-cao/{report.pk}/thong-tin/", {
        "part_revision": report.part_revision("header"), "header-place": "Quản trị sửa",
        "header-signer_name": "Quản trị", "header-signer_capacity": "TM"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.place == "Vĩnh Long"
