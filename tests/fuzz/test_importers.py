"""Every importer fed valid documents mutated by hypothesis: huge integers, floats, NaN/Infinity,
strings with NUL or over any column, deep nesting, wrong types, missing keys.

Each target asserts: no exception but the importer's refusal; a refusal lists its problems in
Vietnamese; a refused input saves nothing (row counts unchanged). Every input runs in a savepoint
rolled back afterwards, so inputs do not depend on each other. Profiles: tests/fuzz/conftest.py."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from reports.demo import VINH_LONG
from reports.importers import load_units
from reports.interchange import ImportRefused, import_report, parse
from reports.models import Report

from .mutations import VIETNAMESE, counts, deep_json, documents_from, is_vietnamese, table_cells

pytestmark = [pytest.mark.django_db, pytest.mark.requires_plugin("procedures", "indicators")]

DATA = Path(__file__).parents[1] / "reports" / "data"
SEED_002 = DATA / "seed-002-hoang-luu-2024.json"
ASSESSMENT = Path(__file__).parents[1] / "indicators" / "data" / "vinh-long-2023.json"
CRITERIA_CSV = Path(settings.BASE_DIR) / "fixtures" / "criteria-commune.csv"
CATALOGUE_CSV = Path(settings.BASE_DIR) / "indicators" / "appendix" / "data" / "indicators-01b.csv"


def report_seed():
    """Seed 002 with consistent one-stop figures (tests/reports/test_interchange.py's ``corrected``)."""
    document = json.loads(SEED_002.read_text(encoding="utf-8"))
    document["one_stop"].pop("received")
    document["one_stop"]["resolved_on_time"] = 148
    return document


def rolled_back(function):
    """Run ``function`` in a savepoint that is always rolled back; returns its result."""
    with transaction.atomic():
        try:
            return function()
        finally:
            transaction.set_rollback(True)


def assert_refusal(problems):
    lines = [str(p) for p in problems]
    assert lines, "a refusal names at least one problem"
    assert all(is_vietnamese(line) for line in lines), lines


# --- cchc-report/1 ---------------------------------------------------------------------------------

@pytest.fixture
def report_document():
    load_units(["38"])  # the seed's commune, Xã Hoằng Lưu (15976)
    return report_seed()


REPORT_MODELS = ("reports.Report", "reports.ReportTransition", "indicators.IndicatorValue",
                 "procedures.OneStopStats", "procedures.TimeCut")


@given(data=st.data())
def test_report_json_import_refuses_or_saves_nothing_else(report_document, data):
    raw = data.draw(documents_from(report_document))
    before = counts(REPORT_MODELS)

    def run():
        try:
            import_report(parse(raw), actor=None, allow_closed_period=True)
        except ImportRefused as refused:
            assert_refusal(refused.problems)
            assert counts(REPORT_MODELS) == before
            return False
        return True

    rolled_back(run)


@pytest.fixture
def own_report_document(period):
    """Seed 002 moved to the officer's commune and the open quarter."""
    document = report_seed()
    document["unit"], document["period"] = VINH_LONG, {"year": period.year, "kind": period.kind}
    return document


@given(data=st.data())
def test_report_upload_never_fails_and_saves_nothing(own_report_document, as_user, data):
    raw = data.draw(documents_from(own_report_document))
    client = as_user("officer")
    before = counts(REPORT_MODELS)
    response = client.post("/bao-cao/nhap-tep/", {"file": SimpleUploadedFile("bao-cao.json", raw)})
    assert response.status_code in (200, 422), response.status_code
    if response.status_code == 422:
        assert VIETNAMESE.search(response.content.decode())
    assert counts(REPORT_MODELS) == before  # the upload only previews


def test_a_deeply_nested_upload_is_refused_with_a_vietnamese_message(as_user):
    response = as_user("officer").post("/bao-cao/nhap-tep/", {"file": SimpleUploadedFile("x.json", deep_json(100_000))})
    assert response.status_code == 422
    assert "lồng nhau quá sâu" in response.content.decode()
    assert not Report.objects.filter(unit__code=VINH_LONG).exists()


# --- cchc-assessment/1 -----------------------------------------------------------------------------

@pytest.fixture
def assessment_document(db):
    from tests.indicators.scoring_fixtures import install_criteria

    install_criteria("45", 2023)
    return json.loads(ASSESSMENT.read_text(encoding="utf-8"))


ASSESSMENT_MODELS = ("indicators.Assessment", "indicators.LeafScore", "indicators.Adjustment",
                     "indicators.AssessmentTransition")


@given(data=st.data())
def test_assessment_json_import_refuses_or_saves(assessment_document, data):
    from indicators.scoring.services import ScoringServiceError, import_assessment
    from reports.limits import Refused, load_json

    raw = data.draw(documents_from(assessment_document))
    before = counts(ASSESSMENT_MODELS)

    def run():
        try:
            import_assessment(load_json(raw), actor=None)
        except Refused as refused:
            assert_refusal(refused.problems)
        except ScoringServiceError as error:
            assert_refusal(error.problems or [str(error)])
        else:
            return
        assert counts(ASSESSMENT_MODELS) == before

    rolled_back(run)


# --- criteria tables (cchc-criteria/1, CSV and XLSX) -----------------------------------------------

CRITERIA_MODELS = ("indicators.CriteriaSet", "indicators.Criterion")


def criteria_rows():
    text = CRITERIA_CSV.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return list(csv.reader(lines))


def as_csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@given(data=st.data(), fmt=st.sampled_from(["csv", "xlsx"]))
def test_criteria_table_import_refuses_or_saves(db, data, fmt):
    from indicators.scoring.importers import parse_criteria
    from indicators.scoring.services import (
        ScoringServiceError,
        import_criteria_set,
        resolve_unit_for_year,
    )

    rows = data.draw(table_cells(criteria_rows(), xlsx=fmt == "xlsx"))
    raw = as_csv(rows) if fmt == "csv" else as_xlsx(rows)
    before = counts(CRITERIA_MODELS)

    def run():
        table = parse_criteria(raw, f"tieu-chi.{fmt}")
        if not table.ok:
            assert_refusal(table.problems)
        else:
            try:
                import_criteria_set(table, unit=resolve_unit_for_year("45", 2024), year=2024, actor=None)
                return
            except ScoringServiceError as error:
                assert_refusal(error.problems or [str(error)])
        assert counts(CRITERIA_MODELS) == before

    rolled_back(run)


# --- Phụ lục 01b catalogue (loader and the admin import) --------------------------------------------

CATALOGUE_MODELS = ("indicators.IndicatorCatalogue", "indicators.Indicator")


def catalogue_rows():
    return list(csv.reader(io.StringIO(CATALOGUE_CSV.read_text(encoding="utf-8-sig"))))


@given(data=st.data(), fmt=st.sampled_from(["csv", "xlsx"]))
def test_catalogue_excel_load_refuses_or_saves(db, data, fmt):
    from indicators.appendix.importers import CatalogueImportError, load_catalogue, read_rows

    rows = data.draw(table_cells(catalogue_rows(), xlsx=fmt == "xlsx"))
    raw = as_csv(rows) if fmt == "csv" else as_xlsx(rows)
    before = counts(CATALOGUE_MODELS)

    def run():
        try:
            load_catalogue(read_rows(raw, f"phu-luc-01b.{fmt}"), year_from=2031)
        except CatalogueImportError as error:
            assert_refusal(error.problems)
            assert counts(CATALOGUE_MODELS) == before

    rolled_back(run)


@given(data=st.data(), fmt=st.sampled_from(["0", "1", "2", "html", ""]))
def test_catalogue_admin_import_never_fails_and_saves_nothing(db, as_user, data, fmt):
    from indicators.models import IndicatorCatalogue

    catalogue = IndicatorCatalogue.objects.order_by("year_from").first()
    rows = data.draw(table_cells(catalogue_rows(), xlsx=fmt == "1"))
    raw = as_xlsx(rows) if fmt == "1" else as_csv(rows)
    before = counts(CATALOGUE_MODELS)
    response = as_user("admin").post("/quan-tri/indicators/indicator/import/", {
        "format": fmt, "catalogue": catalogue.pk, "resource": "0",
        "import_file": SimpleUploadedFile("phu-luc.xlsx" if fmt == "1" else "phu-luc.csv", raw),
    })
    assert response.status_code == 200, response.status_code
    assert counts(CATALOGUE_MODELS) == before  # the import step only previews
    assert b"Traceback" not in response.content and b"traceback" not in response.content.lower().replace(
        b'class="traceback"', b"")


def test_admin_import_offers_csv_and_xlsx_only(as_user):
    response = as_user("admin").get("/quan-tri/indicators/indicator/import/")
    assert response.status_code == 200
    choices = response.context["form"].fields["format"].choices
    assert [label for _value, label in choices if _value != ""] == ["csv", "xlsx"]

