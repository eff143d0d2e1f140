"""The issue's examples of malformed input: each answers with a 404 or a Vietnamese message, never a
500, and saves nothing. Also the overview of a report imported by the command (no actor) opens."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from reports import validators
from reports.interchange import export_report
from reports.models import Report


def client_of(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# --- the shared parsers ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2024-02-30", "30/02/2024", "2024-13-01", "10000-01-01", "0001-01-01", "x", "",
                                  "2024-06-30\x00"])
def test_parse_date_refuses_a_day_that_does_not_exist(text):
    with pytest.raises(validators.InvalidInput):
        validators.parse_date(text)


def test_parse_date_reads_iso_and_vietnamese_days():
    assert str(validators.parse_date("2024-02-29")) == "2024-02-29"
    assert str(validators.parse_date("29/02/2024")) == "2024-02-29"


@pytest.mark.parametrize("text", ["1999", "2101", "10000", "2147483648", "0", "-2024", "2024.0", "２０２４", "1" * 5000])
def test_parse_year_refuses_years_out_of_range(text):
    with pytest.raises(validators.InvalidInput, match="Năm phải là số từ 2000 đến 2100"):
        validators.parse_year(text)


@pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-inf", "1e400", "1" * 30, "1e30", "abc", "1" * 100])
def test_finite_number_refuses_what_no_column_holds(text):
    with pytest.raises(validators.InvalidInput):
        validators.finite_number(text)


@pytest.mark.parametrize("text, expected", [("0,32", "0.32"), ("1.234,5", "1234.5"), ("12", "12"), ("1e-400", "0")])
def test_finite_number_reads_typed_numbers(text, expected):
    assert validators.finite_number(text) == validators.Decimal(expected)


# --- URLs and query strings ------------------------------------------------------------------------

@pytest.mark.parametrize("on", ["2024-02-30", "2024-13-45", "99999-01-01", "abc", "\x00", "2024-02-30" * 100])
def test_unit_list_ignores_an_impossible_date(users, on):
    response = client_of(users["reviewer"]).get("/don-vi/", {"on": on})
    assert response.status_code == 200
    assert "Xã Vĩnh Long" in response.content.decode() or response.context["units"] is not None


def test_unit_list_reads_a_real_date(users):
    response = client_of(users["reviewer"]).get("/don-vi/", {"on": "2024-02-29"})
    assert response.status_code == 200
    assert str(response.context["day"]) == "2024-02-29"


@pytest.mark.parametrize("nam", ["10000", "2147483648", "-1", "1e5", "\x00", "9" * 5000])
def test_home_ignores_a_bad_year(users, nam):
    assert client_of(users["reviewer"]).get("/", {"nam": nam}).status_code == 200


@pytest.mark.requires_plugin("indicators")
@pytest.mark.parametrize("year", ["0", "10000", "2147483648", "9" * 30, "1999", "2101"])
@pytest.mark.parametrize("route", ["xep-hang/{unit}/{year}/", "khac-phuc/{unit}/{year}/",
                                   "danh-gia/mo/{unit}/{year}/"])
def test_years_out_of_range_in_urls_are_404(users, vinh_long, route, year):
    unit = vinh_long.parent_id if not route.startswith("danh-gia") else vinh_long.pk
    client = client_of(users["reviewer"] if unit != vinh_long.pk else users["officer"])
    url = "/chi-so/" + route.format(unit=unit, year=year)
    response = client.post(url) if route.startswith("danh-gia") else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("pk", ["2147483648", "9223372036854775808", "9" * 40, "0"])
def test_ids_out_of_range_in_urls_are_404(users, pk):
    client = client_of(users["admin"])
    for url in (f"/bao-cao/{pk}/", f"/don-vi/{pk}/", f"/tham-dinh/ky/{pk}/", f"/van-ban/{pk}/"):
        assert client.get(url).status_code == 404, url


def test_a_comment_on_a_part_name_over_32_characters_is_404(users, report):
    revision = report.revision
    response = client_of(users["reviewer"]).post(f"/bao-cao/{report.pk}/nhan-xet/{'x' * 40}/", {"text": "Ghi rõ"})
    assert response.status_code == 404
    assert not report.comments.exists() if hasattr(report, "comments") else True
    assert Report.objects.get(pk=report.pk).revision == revision


# --- typed numbers ---------------------------------------------------------------------------------

@pytest.mark.requires_plugin("procedures")
def test_a_one_stop_count_of_ten_to_the_thirty_is_refused(users, report):
    response = client_of(users["officer"]).post(
        f"/thu-tuc/bao-cao/{report.pk}/mot-cua/", {"one_stop-online": str(10**30), "part_revision": "0"})
    assert response.status_code == 422
    assert "không được lớn hơn" in response.content.decode()
    assert Report.objects.get(pk=report.pk).part_revision("one_stop") == 0


@pytest.mark.requires_plugin("procedures")
def test_one_stop_rates_ignore_a_count_of_ten_to_the_thirty(users, report):
    response = client_of(users["officer"]).get(f"/thu-tuc/bao-cao/{report.pk}/mot-cua/ty-le/",
                                               {"one_stop-online": str(10**30), "one_stop-carried_over": "NaN"})
    assert response.status_code == 200


@pytest.fixture
def assessment(users, vinh_long):
    import importlib

    fixtures = importlib.import_module("tests.indicators.scoring_fixtures")
    services = importlib.import_module("indicators.scoring.services")
    fixtures.install_criteria("45", 2023)
    return services.start_assessment(vinh_long, 2023, actor=users["officer"])


@pytest.mark.requires_plugin("indicators")
@pytest.mark.parametrize("typed", [str(2**63), str(2**64 + 1), "Infinity", "-Infinity", "NaN", "sNaN", "1e400",
                                   "1" * 70])
@pytest.mark.parametrize("name", ["numerator", "denominator", "count", "self"])
def test_self_assessment_refuses_numbers_no_column_holds(users, assessment, name, typed):
    leaf = next(leaf for leaf in assessment.leaves.select_related("criterion")
                if (name in ("numerator", "denominator") and leaf.criterion.method == "proportional")
                or (name == "count" and leaf.criterion.method == "per_count_capped") or name == "self")
    before = assessment.leaves.values_list("self_score", "numerator", "denominator", "count")
    before = list(before)
    response = client_of(users["officer"]).post(f"/chi-so/danh-gia/{assessment.pk}/tu-danh-gia/",
                                                {f"{name}-{leaf.pk}": typed})
    assert response.status_code == 422
    assert list(assessment.leaves.values_list("self_score", "numerator", "denominator", "count")) == before


@pytest.mark.requires_plugin("indicators")
@pytest.mark.parametrize("line", ["1e400 Xuất sắc", "NaN Tốt", "Infinity Khá", "-Infinity Kém", "1e30 Tốt"])
def test_bands_refuse_a_minimum_that_is_not_a_finite_score(users, line):
    import importlib

    fixtures = importlib.import_module("tests.indicators.scoring_fixtures")
    criteria_set = fixtures.install_criteria("45", 2023)
    bands = json.dumps(criteria_set.bands)
    response = client_of(users["admin"]).post(f"/chi-so/bo-tieu-chi/{criteria_set.pk}/xep-loai/", {"bands": line})
    assert response.status_code in (200, 302, 422)
    assert response.status_code != 302 or "Dòng 1" in " ".join(m.message for m in response.wsgi_request._messages)
    criteria_set.refresh_from_db()
    assert json.dumps(criteria_set.bands) == bands


# --- a report imported by the command ---------------------------------------------------------------

def test_overview_of_a_report_imported_by_the_command_opens(users, report, tmp_path):
    source = tmp_path / "report.json"
    source.write_text(json.dumps(export_report(report), ensure_ascii=False), encoding="utf-8")
    unit, period = report.unit, report.period
    report.delete()
    call_command("import_report", str(source))
    imported = Report.objects.get(unit=unit, period=period)
    assert imported.transitions.exists() and not imported.transitions.exclude(actor=None).exists()
    response = client_of(users["admin"]).get(f"/bao-cao/{imported.pk}/")
    assert response.status_code == 200
    assert "hệ thống" in response.content.decode()


# --- ids, years and text posted to actions -----------------------------------------------------------

@pytest.mark.requires_plugin("indicators")
@pytest.mark.parametrize("payload", [
    {"kind": "ranking", "unit": "abc", "year": "2024"}, {"kind": "ranking", "unit": str(2**63), "year": "2024"},
    {"kind": "ranking", "unit": "{district}", "year": "10000"}, {"kind": "ranking", "unit": "{district}", "year": "1e400"},
    {"kind": "ranking", "unit": "{district}"}, {"kind": "indicator_matrix", "unit": "{district}", "period": "9" * 40},
    {"kind": "indicator_matrix", "unit": "{district}", "period": "-1"},
])
def test_a_workbook_request_with_a_bad_unit_year_or_period_is_404(users, vinh_long, payload):
    from reports.documents.models import RenderedDocument

    before = RenderedDocument.objects.count()
    payload = {k: v.format(district=vinh_long.parent_id) for k, v in payload.items()}
    response = client_of(users["reviewer"]).post("/chi-so/xuat/", payload)
    assert response.status_code == 404
    assert RenderedDocument.objects.count() == before


@pytest.mark.parametrize("reason, words", [("Thiếu số liệu\x00", "NUL"), ("x" * 5001, "5000")])
def test_a_return_reason_no_column_should_hold_is_refused_with_a_message(users, report, reason, words):
    from reports import services

    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
    report.save()
    services.submit_report(report, actor=users["leader"])
    response = client_of(users["reviewer"]).post(f"/bao-cao/{report.pk}/tra-lai/", {"reason": reason}, follow=True)
    assert response.status_code == 200
    assert words in " ".join(m.message for m in response.context["messages"])
    assert Report.objects.get(pk=report.pk).status == "submitted"


@pytest.mark.parametrize("prefix", ["tasks", "directives"])
def test_a_posted_row_count_over_the_limit_builds_no_thousands_of_forms(users, report, prefix):
    from reports.forms import ROWS_MAX

    response = client_of(users["officer"]).post(f"/bao-cao/{report.pk}/chi-dao/", {
        "part_revision": "0", f"{prefix}-TOTAL_FORMS": str(10**9), f"{prefix}-INITIAL_FORMS": "0"})
    assert response.status_code == 422
    assert response.content.decode().count(f'name="{prefix}-{ROWS_MAX}-') == 0  # no row past the limit
    assert Report.objects.get(pk=report.pk).part_revision("direction") == 0


@pytest.mark.parametrize("value", ["--1", "-", "1-", "+-1"])
def test_a_number_with_a_broken_sign_is_not_a_number(value):
    from reports.validators import InvalidInput, parse_int

    with pytest.raises(InvalidInput):
        parse_int(value)
