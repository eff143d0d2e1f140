"""The consolidated ranking workbook: sheets, number formats, streaming (bounded queries), the
generated file (a kind of the core's documents) with its permission-checked download and its
version (the same data is not rendered twice), and the letter context of seed 003."""

import datetime as dt
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from indicators.models import LeafScore
from indicators.scoring import workbooks
from indicators.scoring.exporters import ranking_workbook
from indicators.scoring.letter import letter_context
from indicators.scoring.services import import_assessment
from reports.demo import BEFORE
from reports.documents import services as document_services
from reports.documents.models import DocumentStatus, RenderedDocument
from reports.models import AdministrativeUnit, Membership, Role

from .scoring_fixtures import SEED_003, criteria_2023_fixture, seed_document  # noqa: F401
from .test_ranking import make_scored

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("criteria_2023")]


def test_export_rankings_command_writes_the_workbook(tmp_path):
    call_command("import_assessment", str(SEED_003), stdout=StringIO())
    out = tmp_path / "xep-hang.xlsx"
    call_command("export_rankings", scope="464", year=2023, out=str(out), stdout=StringIO())
    workbook = load_workbook(out)
    assert workbook.sheetnames[0] == "Xếp hạng" and workbook.sheetnames[-1] == "Điểm bị trừ"
    assert "LV 3" in workbook.sheetnames and len(workbook.sheetnames) == 9
    ranking_sheet = workbook["Xếp hạng"]
    assert ranking_sheet.freeze_panes == "A2" and ranking_sheet.auto_filter.ref == "A1:R2"
    header = [c.value for c in ranking_sheet[1]]
    assert header[:3] == ["Hạng", "Mã", "Đơn vị"] and "Tổng điểm" in header
    row = [c for c in ranking_sheet[2]]
    final = row[header.index("Tổng điểm")]
    assert final.value == 88.25 and final.number_format == "0.00"
    assert row[header.index("Xếp loại")].value == "Tốt"
    deductions = workbook["Điểm bị trừ"]
    assert deductions.max_row == 20  # header + 19 leaves
    assert sum(-r[7].value for r in deductions.iter_rows(min_row=2)) == pytest.approx(12.75)


def test_export_refuses_unknown_scope(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_rankings", scope="000", year=2023, out=str(tmp_path / "x.xlsx"), stdout=StringIO())


def test_export_queries_do_not_grow_with_communes(criteria_2023, django_assert_max_num_queries):
    province = AdministrativeUnit.objects.resolve("45", BEFORE)
    communes = list(AdministrativeUnit.objects.communes().below(province).valid_on(BEFORE).order_by("code"))
    make_scored(communes[:20], criteria_2023)
    with django_assert_max_num_queries(8):
        ranking_workbook(province, 2023, BytesIO())
    make_scored(communes[20:60], criteria_2023)
    buffer = BytesIO()
    with django_assert_max_num_queries(8):
        ranking_workbook(province, 2023, buffer)
    assert load_workbook(buffer)["Xếp hạng"].max_row == 61


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Generated workbooks go under the test's own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


def ask(client, district, capture, year=2023):
    with capture(execute=True):
        return client.post("/chi-so/xuat/", {"kind": "ranking", "unit": district.pk, "year": year})


def test_ranking_workbook_from_the_ui_is_a_generated_file(as_user, users, django_capture_on_commit_callbacks,
                                                          monkeypatch):
    assessment = import_assessment(seed_document(), actor=None)
    district = AdministrativeUnit.objects.resolve("464", BEFORE)
    sent = []
    monkeypatch.setattr(document_services, "send_render", sent.append)
    client = as_user("reviewer")
    response = ask(client, district, django_capture_on_commit_callbacks)
    document = RenderedDocument.objects.get(kind=workbooks.RANKING)
    assert response.status_code == 302 and response.url == f"/van-ban/{document.pk}/"
    assert sent == [document.pk] and document.status == DocumentStatus.QUEUED
    assert document.unit == district and document.params == {"unit_id": district.pk, "year": 2023}
    assert document.requested_by == users["reviewer"] and document.format == "xlsx"

    done = document_services.render_document(document.pk)  # what the worker runs
    assert done.status == DocumentStatus.DONE and done.progress == 100 and len(done.checksum) == 64
    assert done.filename == "xep-hang-chi-so-cchc-464-2023.xlsx"
    fragment = client.get(f"/van-ban/{done.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and f"/van-ban/{done.pk}/tai/" in fragment
    download = client.get(f"/van-ban/{done.pk}/tai/")
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    sheet = workbook["Xếp hạng"]
    header = [c.value for c in sheet[1]]
    assert sheet["C2"].value == "Xã Vĩnh Long" and sheet.cell(2, header.index("Tổng điểm") + 1).value == 88.25
    assert workbook["Điểm bị trừ"].max_row == 20
    assert as_user("officer").get(f"/van-ban/{done.pk}/tai/").status_code == 404
    assert as_user("outside_reviewer").get(f"/van-ban/{done.pk}/tai/").status_code == 404
    assert as_user(None).get(f"/van-ban/{done.pk}/tai/").status_code == 302

    # The same data again: the same row, nothing sent, nothing rendered.
    assert ask(client, district, django_capture_on_commit_callbacks).url == f"/van-ban/{done.pk}/"
    assert sent == [done.pk] and RenderedDocument.objects.count() == 1
    # A council comment changes (the assessment row does not): a new version, a new workbook.
    LeafScore.objects.filter(assessment=assessment, criterion__code="1.4.1").update(
        council_comment="Chưa có kế hoạch tuyên truyền")
    response = ask(client, district, django_capture_on_commit_callbacks)
    newer = RenderedDocument.objects.exclude(pk=done.pk).get(kind=workbooks.RANKING)
    assert response.url == f"/van-ban/{newer.pk}/" and sent == [done.pk, newer.pk]
    assert newer.source_version != done.source_version
    rendered = load_workbook(document_services.render_document(newer.pk).file.path)
    assert "Chưa có kế hoạch tuyên truyền" in [row[8] for row in rendered["Điểm bị trừ"].iter_rows(values_only=True)]


def test_the_workbook_is_not_downloaded_after_the_reviewer_lost_the_role(as_user, users):
    import_assessment(seed_document(), actor=None)
    district = AdministrativeUnit.objects.resolve("464", BEFORE)
    document = document_services.request_document(
        workbooks.RANKING, {"unit_id": district.pk, "year": 2023}, "xlsx", user=users["reviewer"], dispatch=False)
    document_services.render_document(document.pk)
    client = as_user("reviewer")
    assert client.get(f"/van-ban/{document.pk}/tai/").status_code == 200
    Membership.objects.filter(user=users["reviewer"], role=Role.REVIEWER).delete()
    assert client.get(f"/van-ban/{document.pk}/tai/").status_code == 404
    assert client.get(f"/van-ban/{document.pk}/").status_code == 404


def test_export_is_refused_out_of_scope_and_to_communes(as_user):
    district = AdministrativeUnit.objects.resolve("464", BEFORE)
    data = {"kind": "ranking", "unit": district.pk, "year": 2023}
    assert as_user("outside_reviewer").post("/chi-so/xuat/", data).status_code == 404
    assert as_user("officer").post("/chi-so/xuat/", data).status_code == 403
    assert not RenderedDocument.objects.exists()


def test_letter_context_of_seed_003():
    assessment = import_assessment(seed_document(), actor=None)
    context = letter_context(assessment)
    assert context["unit_name"] == "Xã Vĩnh Long" and context["unit_upper"] == "XÃ VĨNH LONG"
    assert context["year"] == 2023 and context["next_year"] == 2024 and context["place"] == "Vĩnh Long"
    assert context["deducted_total"] == Decimal("12.75") and context["appraised_total"] == Decimal("87.25")
    assert context["bonus"] == Decimal("1.00") and context["final"] == Decimal("88.25")
    assert context["previous"] is None
    assert len(context["rows"]) == 19
    first = context["rows"][0]
    assert first["code"] == "1.4.1" and first["deducted"] == Decimal("0.20") and first["responsible"] == "Đ/c Đoàn"
    assert context["rows"][1]["deadlines"] == [dt.date(2024, 10, 31), dt.date(2024, 12, 15)]
    assert set(context["signer"]) == {"name", "title", "capacity"}


def test_demo_publishes_vinh_linh_2023_and_the_indicator_matrix_exports(tmp_path):
    from indicators.models import Assessment, AssessmentStatus
    from indicators.scoring.demo import load_scoring_demo
    from indicators.scoring.exporters import indicator_matrix_workbook
    from reports.models import ReportingPeriod

    load_scoring_demo(StringIO())  # the demo's criteria sets and Vĩnh Linh's published 2023 year

    vinh_long = Assessment.objects.get(unit__code="19387", year=2023)
    assert (vinh_long.final, vinh_long.rank, vinh_long.rank_of) == (Decimal("88.25"), 11, 18)
    assert Assessment.objects.filter(year=2023, status=AssessmentStatus.PUBLISHED).count() == 18
    district = AdministrativeUnit.objects.resolve("464", BEFORE)
    period = ReportingPeriod.objects.get(year=2024, kind="Q1")
    buffer = BytesIO()
    assert indicator_matrix_workbook(district, period, buffer) == 18
    sheet = load_workbook(buffer)["Chỉ tiêu"]
    assert sheet["A1"].value == "Mã" and sheet.max_row == 19
