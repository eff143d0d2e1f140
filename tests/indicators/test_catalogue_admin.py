"""Admin of the catalogue: editing, and django-import-export imports that save nothing when any
row has a problem (preview and confirm alike)."""

import re

import pytest
import tablib
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.appendix.importers import DEFAULT_FILE, IndicatorResource
from indicators.models import Indicator, IndicatorCatalogue

from .catalogue_fixtures import OFFICIAL_CSV, catalogue  # noqa: F401

pytestmark = pytest.mark.django_db
IMPORT_URL = "/quan-tri/indicators/indicator/import/"


def csv_format_index():
    admin = site._registry[Indicator]
    return next(i for i, f in enumerate(admin.get_import_formats()) if f().get_title() == "csv")


def bad_csv():
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    text = text.replace(",Bộ phận chuyên môn,count,", ",Bộ phận chuyên môn,number,", 1)  # 1.2.1, line 8
    return text.replace("2.5,2,", "2.5,4,", 1)  # 2.5 (line 24) under a parent that is not above it


@pytest.fixture
def empty_catalogue(db):
    return IndicatorCatalogue.objects.create(year_from=2026, name="Danh mục thử 2026")


def upload(client, text, catalogue_pk, name="chi-tieu.csv"):
    return client.post(IMPORT_URL, {
        "resource": "0", "format": str(csv_format_index()), "catalogue": str(catalogue_pk),
        "import_file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv"),
    })


def test_admin_import_preview_then_confirm_saves_the_catalogue(as_user, empty_catalogue):
    client = as_user("admin")
    preview = upload(client, DEFAULT_FILE.read_text(encoding="utf-8"), empty_catalogue.pk)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "process_import" in html or "import/process" in html
    assert not Indicator.objects.filter(catalogue=empty_catalogue).exists()  # the preview saves nothing
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    assert form["catalogue"] == str(empty_catalogue.pk)
    response = client.post("/quan-tri/indicators/indicator/process_import/", form)
    assert response.status_code == 302
    indicators = Indicator.objects.filter(catalogue=empty_catalogue)
    assert indicators.count() == 73
    assert indicators.get(code="1.2.1").parent.code == "1.2"
    assert indicators.get(code="3.3.1").source == "one_stop.received"


def test_admin_import_with_a_bad_row_shows_line_and_column_and_offers_no_confirm(as_user, empty_catalogue):
    response = upload(as_user("admin"), bad_csv(), empty_catalogue.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dòng 8 (chỉ tiêu 1.2.1), cột “value_type”" in html
    assert "Dòng 24 (chỉ tiêu 2.5), cột “parent”" in html
    assert "process_import" not in html
    assert not Indicator.objects.filter(catalogue=empty_catalogue).exists()


def test_resource_import_with_a_bad_row_saves_nothing_even_when_not_a_dry_run(empty_catalogue):
    dataset = tablib.Dataset().load(bad_csv(), format="csv")
    result = IndicatorResource(catalogue=empty_catalogue).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    assert 7 in invalid and "value_type" in invalid[7]
    assert not Indicator.objects.filter(catalogue=empty_catalogue).exists()


def test_resource_import_updates_an_existing_catalogue_by_code(catalogue):  # noqa: F811
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace("Số VBQPPL đã rà soát", "Số VBQPPL đã rà soát và hệ thống hóa")
    result = IndicatorResource(catalogue=catalogue).import_data(tablib.Dataset().load(text, format="csv"), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Indicator.objects.filter(catalogue=catalogue).count() == 73
    assert Indicator.objects.get(catalogue=catalogue, code="2.3").name_vi == "Số VBQPPL đã rà soát và hệ thống hóa"


def test_official_csv_without_source_column_imports_and_keeps_sources(catalogue):  # noqa: F811
    dataset = tablib.Dataset().load(OFFICIAL_CSV.read_text(encoding="utf-8"), format="csv")
    result = IndicatorResource(catalogue=catalogue).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Indicator.objects.get(catalogue=catalogue, code="1.1.1").source == "direction.task_total"


@pytest.mark.parametrize("path", [
    "/quan-tri/indicators/indicatorcatalogue/", "/quan-tri/indicators/indicator/", IMPORT_URL,
    "/quan-tri/indicators/indicatorvalue/",
])
def test_admin_pages_open_for_admins_only(as_user, catalogue, path):  # noqa: F811
    assert as_user("admin").get(path).status_code == 200
    assert as_user("officer").get(path).status_code == 302


def test_admin_change_pages_open(as_user, catalogue):  # noqa: F811
    indicator = Indicator.objects.get(catalogue=catalogue, code="1.2.1")
    assert as_user("admin").get(f"/quan-tri/indicators/indicator/{indicator.pk}/change/").status_code == 200
    assert as_user("admin").get(f"/quan-tri/indicators/indicatorcatalogue/{catalogue.pk}/change/").status_code == 200


def test_admin_form_refuses_a_choice_indicator_without_choices(as_user, catalogue):  # noqa: F811
    indicator = Indicator(catalogue=catalogue, code="9", name_vi="Thử", value_type="choice", choices="")
    with pytest.raises(Exception) as error:
        indicator.full_clean()
    assert "danh sách lựa chọn" in str(error.value)
