"""Importing a criteria set (cchc-criteria/1): two phases, every problem listed, nothing saved on error."""

import csv
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from indicators.models import CriteriaSet, Criterion
from indicators.scoring.importers import parse_criteria
from indicators.scoring.services import (
    copy_criteria_set,
    criteria_set_in_force,
    resolve_unit_for_year,
)

from .scoring_fixtures import CRITERIA_CSV, install_criteria

pytestmark = pytest.mark.django_db

HEADER = "code,parent,level,name_vi,max_score,method,params,source,rule_vi,origin\n"


def test_demo_table_is_valid_and_leaves_sum_to_100():
    table = parse_criteria(CRITERIA_CSV.read_bytes(), CRITERIA_CSV.name)
    assert table.ok, table.problems
    assert table.leaf_total == Decimal(100)
    assert sum(r.is_leaf for r in table.rows) == 63


def test_every_problem_is_listed_with_line_and_column():
    text = HEADER + "\n".join([
        "1,,field,Lĩnh vực,3,,,,,",
        "1.1,1,criterion,Tiêu chí,2,graded,,,,",  # line 3
        "1.2,1,criterion,Tiêu chí,abc,graded,,,,",  # line 4: bad number
        "1.3,9,criterion,Mồ côi,1,graded,,,,",  # line 5: unknown parent
        "1.4,1,criterion,Lạ,1,magic,,,,",  # line 6: unknown method
        "1.5,1,criterion,Thiếu tham số,1,target,,,,",  # line 7
    ]) + "\n"
    table = parse_criteria(text.encode(), "t.csv")
    assert "dòng 4, cột 'max_score': 'abc' không phải là số" in table.problems
    assert "dòng 5, cột 'parent': không có tiêu chí cha 9" in table.problems
    assert any(p.startswith("dòng 6, cột 'method'") for p in table.problems)
    assert "dòng 7, cột 'params': phương pháp target cần tham số target=…" in table.problems


def test_inner_maximum_must_equal_sum_of_children():
    text = HEADER + "1,,field,A,99,,,,,\n1.1,1,criterion,B,60,graded,,,,\n1.2,1,criterion,C,40,graded,,,,\n"
    table = parse_criteria(text.encode(), "t.csv")
    assert table.problems == ["dòng 2, cột 'max_score': điểm chuẩn 99 khác tổng các tiêu chí con 100"]


def test_leaves_must_sum_to_set_max():
    text = HEADER + "1,,field,A,90,,,,,\n1.1,1,criterion,B,90,graded,,,,\n"
    assert parse_criteria(text.encode(), "t.csv").problems == [
        "Tổng điểm chuẩn các tiêu chí lá là 90, phải bằng 100."]


def test_command_saves_nothing_on_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(CRITERIA_CSV.read_text(encoding="utf-8").replace("1.1.1,1.1,sub", "1.1.1,1.1,subb"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_criteria", str(bad), unit="45", year=2023, stderr=StringIO(), stdout=StringIO())
    assert not CriteriaSet.objects.exists()


def test_command_imports_csv_as_set_of_province_and_year():
    out = StringIO()
    call_command("import_criteria", str(CRITERIA_CSV), unit="45", year=2023, stdout=out)
    criteria_set = CriteriaSet.objects.get()
    assert criteria_set.unit.name == "Tỉnh Quảng Trị" and criteria_set.year == 2023
    assert criteria_set.criteria.filter(is_leaf=True).count() == 63
    leaf = Criterion.objects.get(criteria_set=criteria_set, code="3.12.2")
    assert leaf.parent.code == "3.12" and leaf.params == {"target": "0.3"} and leaf.origin == "real"
    assert "63 tiêu chí lá" in out.getvalue()


def test_xlsx_is_read_like_csv():
    workbook = Workbook()
    sheet = workbook.active
    for line in CRITERIA_CSV.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        sheet.append(next(csv.reader([line])))
    buffer = BytesIO()
    workbook.save(buffer)
    table = parse_criteria(buffer.getvalue(), "set.xlsx")
    assert table.ok, table.problems[:3]
    assert len(table.rows) == 89


def test_set_in_force_is_nearest_ancestors(vinh_long):
    province_set = install_criteria("45", 2023)
    assert criteria_set_in_force(vinh_long, 2023) == province_set
    district_set = install_criteria("464", 2023)
    assert criteria_set_in_force(vinh_long, 2023) == district_set
    assert criteria_set_in_force(vinh_long, 2024) is None


def test_code_44_resolves_to_the_merged_province_in_2025_and_quang_binh_before():
    assert resolve_unit_for_year("44", 2025).name == "Tỉnh Quảng Trị"
    assert resolve_unit_for_year("44", 2024).name == "Tỉnh Quảng Bình"
    assert resolve_unit_for_year("464", 2025).name == "Huyện Vĩnh Linh"  # valid until 30/6/2025


def test_copy_to_next_year_keeps_tree_and_bands():
    original = install_criteria("45", 2023)
    original.bands = [{"min": 85, "label": "Tốt"}, {"min": 0, "label": "Chưa tốt"}]
    original.save()
    copy = copy_criteria_set(original, actor=None)
    assert copy.year == 2024 and copy.code == "45-2024" and not copy.frozen
    assert copy.bands == original.bands
    assert copy.criteria.count() == original.criteria.count()
    assert copy.criteria.get(code="1.1.1").parent.criteria_set == copy


def test_upload_preview_lists_row_problems_and_saves_nothing(as_user):
    province = resolve_unit_for_year("45", 2023)
    bad = CRITERIA_CSV.read_bytes().replace(b"1.1.2,1.1,sub", b"1.1.2,9.9,sub")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = as_user("admin").post("/chi-so/bo-tieu-chi/nhap/", {
        "unit": province.pk, "year": 2023, "file": SimpleUploadedFile("bo.csv", bad)})
    assert response.status_code == 422
    assert "dòng 7, cột &#x27;parent&#x27;: không có tiêu chí cha 9.9" in response.content.decode()
    assert not CriteriaSet.objects.exists()


def test_upload_preview_then_confirm_saves_the_set(as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    province = resolve_unit_for_year("45", 2023)
    client = as_user("admin")
    preview = client.post("/chi-so/bo-tieu-chi/nhap/", {
        "unit": province.pk, "year": 2023, "file": SimpleUploadedFile("bo.csv", CRITERIA_CSV.read_bytes())})
    assert preview.status_code == 200 and not CriteriaSet.objects.exists()
    response = client.post("/chi-so/bo-tieu-chi/nhap/", {"confirm": "1", "token": preview.context["token"]})
    criteria_set = CriteriaSet.objects.get()
    assert response.status_code == 302 and criteria_set.criteria.count() == 89
    page = client.get(f"/chi-so/bo-tieu-chi/{criteria_set.pk}/").content.decode()
    assert "minh họa" in page and "thực tế" in page
    assert client.post(f"/chi-so/bo-tieu-chi/{criteria_set.pk}/sao-chep/").status_code == 302
    assert CriteriaSet.objects.filter(year=2024).exists()


@pytest.mark.parametrize("role, expected", [(None, 302), ("officer", 403), ("reviewer", 200), ("admin", 200)])
def test_criteria_import_permissions(as_user, role, expected):
    assert as_user(role).get("/chi-so/bo-tieu-chi/nhap/").status_code == expected


def test_bands_are_editable(as_user):
    criteria_set = install_criteria("45", 2023)
    client = as_user("admin")
    client.post(f"/chi-so/bo-tieu-chi/{criteria_set.pk}/xep-loai/", {"bands": "85 Tốt\n60 Đạt\n0 Chưa đạt"})
    criteria_set.refresh_from_db()
    assert criteria_set.bands == [{"min": 85.0, "label": "Tốt"}, {"min": 60.0, "label": "Đạt"},
                                  {"min": 0.0, "label": "Chưa đạt"}]
    assert criteria_set.classify(Decimal("88.25")) == "Tốt"
