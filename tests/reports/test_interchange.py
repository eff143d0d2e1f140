"""cchc-report/1: export, import (command and UI), every problem listed with its JSON path."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from reports.importers import load_units
from reports.interchange import ImportRefused, export_report, import_report
from reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db

SEED_002 = Path(__file__).parent / "data" / "seed-002-hoang-luu-2024.json"


@pytest.fixture
def seed_document():
    load_units(["38"])  # Thanh Hóa: the seed is Xã Hoằng Lưu (15976), huyện Hoằng Hóa
    return json.loads(SEED_002.read_text(encoding="utf-8"))


def corrected(document):
    """The seed with consistent one-stop figures: no typed total, resolved = the 627 received."""
    fixed = copy.deepcopy(document)
    fixed["one_stop"].pop("received")
    fixed["one_stop"]["resolved_on_time"] = 148
    return fixed


def paths(problems):
    return {p.path for p in problems}


@pytest.mark.requires_plugin("procedures", "indicators")  # one-stop figures, appendix codes
def test_seed_002_one_stop_figures_are_refused_with_the_numbers(seed_document):
    with pytest.raises(ImportRefused) as refused:
        import_report(seed_document)
    messages = {p.path: p.message for p in refused.value.problems}
    assert "830" in messages["one_stop.received"] and "627" in messages["one_stop.received"]
    assert not Report.objects.filter(unit__code="15976").exists()


@pytest.mark.requires_plugin("procedures", "indicators")  # one-stop figures, appendix codes
def test_seed_002_with_corrected_figures_is_accepted_and_round_trips(seed_document):
    report = import_report(corrected(seed_document))
    assert report.status == ReportStatus.DRAFT
    assert report.signer_name == "Lê Ngọc Hạnh"
    assert report.plan_task_total == 26 and report.plan_tasks_done == 26
    assert report.issues_found == 0 and report.survey_forms == 60
    exported = export_report(report)
    assert exported["one_stop"]["direct"] == 40
    assert exported["indicators"]["3.2.1"] == 122
    assert len(exported["time_cuts"]) == 23
    assert exported["sections"]["V"] == "Không có"
    again = import_report(exported)
    assert again.pk == report.pk
    assert export_report(again) == exported


def test_import_command_lists_every_problem_and_exits_1(seed_document, tmp_path):
    bad = copy.deepcopy(seed_document)
    bad["one_stop"]["direct"] = -1
    bad["period"]["kind"] = "Q5"
    bad["surprise"] = True
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as refused:  # one line per problem in the error
        call_command("import_report", str(path), stderr=err)
    output = str(refused.value)
    assert "one_stop.direct" in output and "period.kind" in output and "surprise" in output
    assert not Report.objects.filter(unit__code="15976").exists()


def test_import_command_submit_and_export_command(seed_document, tmp_path):
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(corrected(seed_document), ensure_ascii=False), encoding="utf-8")
    call_command("import_report", str(path), "--submit", stdout=StringIO())
    report = Report.objects.get(unit__code="15976", period__year=2024, period__kind="Y")
    assert report.status == ReportStatus.SUBMITTED
    out = StringIO()
    call_command("export_report", "15976", "2024", "Y", stdout=out)
    assert json.loads(out.getvalue())["document"]["signer"]["name"] == "Lê Ngọc Hạnh"


def test_unknown_unit_code_in_period_is_a_problem(seed_document):
    seed_document["unit"] = "99999"
    with pytest.raises(ImportRefused) as refused:
        import_report(corrected(seed_document))
    assert "unit" in paths(refused.value.problems)


def test_submitted_report_is_not_replaced(seed_document):
    report = import_report(corrected(seed_document), submit=True)
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(ImportRefused):
        import_report(corrected(seed_document))


def test_ui_upload_preview_then_confirm(as_user, report):
    document = export_report(report)
    document["document"]["signer"] = {"name": "Trần Quốc Lương", "title": "Chủ tịch", "capacity": "TM"}
    document["document"]["place"] = "Vĩnh Long"
    client = as_user("officer")
    upload = SimpleUploadedFile("r.json", json.dumps(document, ensure_ascii=False).encode(), "application/json")
    response = client.post("/bao-cao/nhap-tep/", {"file": upload})
    assert response.status_code == 200
    assert "Xác nhận nhập" in response.content.decode()
    report.refresh_from_db()
    assert report.signer_name != "Trần Quốc Lương"  # nothing saved before confirming
    response = client.post("/bao-cao/nhap-tep/", {"confirm": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.signer_name == "Trần Quốc Lương"


def test_ui_upload_with_problems_lists_them_and_saves_nothing(as_user, report):
    document = export_report(report)
    document["plan"] = {"reference": "x", "task_count": 3, "tasks_done": 5}
    upload = SimpleUploadedFile("r.json", json.dumps(document).encode(), "application/json")
    response = as_user("officer").post("/bao-cao/nhap-tep/", {"file": upload})
    assert response.status_code == 422
    assert "plan.tasks_done" in response.content.decode()


def test_ui_upload_for_a_commune_out_of_scope_is_refused(as_user, report):
    document = export_report(report)
    upload = SimpleUploadedFile("r.json", json.dumps(document).encode(), "application/json")
    response = as_user("other_officer").post("/bao-cao/nhap-tep/", {"file": upload})
    assert response.status_code == 422
    assert "không có quyền" in response.content.decode()


@pytest.mark.parametrize("role, expected", [
    (None, 302), ("officer", 200), ("other_officer", 404), ("reviewer", 200), ("outside_reviewer", 404),
    ("admin", 200),
])
def test_export_view_permissions(as_user, report, role, expected):
    assert as_user(role).get(f"/bao-cao/{report.pk}/xuat-tep/").status_code == expected


@pytest.mark.requires_plugin("procedures", "indicators")  # one-stop figures, appendix codes
def test_seed_002_through_the_upload_ui_refused_then_accepted(as_user, seed_document):
    client = as_user("admin")  # Hoằng Lưu has no demo officer; the admin imports on its behalf
    raw = json.dumps(seed_document, ensure_ascii=False).encode()
    response = client.post("/bao-cao/nhap-tep/", {"file": SimpleUploadedFile("seed.json", raw, "application/json")})
    assert response.status_code == 422
    body = response.content.decode()
    assert "one_stop.received" in body and "(830)" in body and "(627)" in body
    fixed = json.dumps(corrected(seed_document), ensure_ascii=False).encode()
    client.post("/bao-cao/nhap-tep/", {"file": SimpleUploadedFile("seed.json", fixed, "application/json")})
    response = client.post("/bao-cao/nhap-tep/", {"confirm": "1"})
    assert response.status_code == 302
    report = Report.objects.get(unit__code="15976", period__year=2024, period__kind="Y")
    assert report.signer_name == "Lê Ngọc Hạnh"
