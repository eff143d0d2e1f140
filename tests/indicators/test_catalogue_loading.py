"""Loading the Phụ lục 01b catalogue: the bundled file, the official CSV, the command, versions by year."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators.appendix.importers import CatalogueImportError, load_catalogue, read_rows
from indicators.appendix.selectors import catalogue_for_year
from indicators.models import Indicator, IndicatorCatalogue, ValueType

from .catalogue_fixtures import OFFICIAL_CSV, by_code, catalogue  # noqa: F401

pytestmark = pytest.mark.django_db


def test_official_csv_loads_73_rows_with_codes_and_kinds():
    loaded, created, updated, deleted = load_catalogue(read_rows(OFFICIAL_CSV), year_from=2023)
    assert (created, updated, deleted) == (73, 0, 0)
    indicators = list(Indicator.objects.filter(catalogue=loaded).order_by("position"))
    assert len(indicators) == 73
    assert [i.code for i in indicators[:4]] == ["1", "1.1", "1.1.1", "1.1.2"]
    assert indicators[-1].code == "7.6"
    kinds = {i.code: i.value_type for i in indicators}
    assert kinds["1"] == ValueType.GROUP
    assert kinds["1.1"] == ValueType.TEXT
    assert kinds["1.1.1"] == ValueType.COUNT
    assert kinds["3.2.4"] == ValueType.PERCENT
    assert kinds["7.1"] == ValueType.CHOICE
    assert sum(1 for k in kinds.values() if k == ValueType.GROUP) == 19
    seven_one = next(i for i in indicators if i.code == "7.1")
    assert seven_one.choice_map == {0: "Chưa có", 1: "2 cấp", 2: "3 cấp"}
    child = next(i for i in indicators if i.code == "7.2.3.a")
    assert child.parent.code == "7.2.3" and child.depth == 3


def test_bundled_catalogue_carries_sources_and_rules(by_code):  # noqa: F811
    assert len(by_code) == 73
    assert by_code["1.1.1"].source == "direction.task_total"
    assert by_code["3.3.1"].source == "one_stop.received"
    assert by_code["3.1.3"].source == "procedures.active_count"
    assert by_code["1.2.3"].rule == "<=1.2.2"
    assert by_code["1.3.2"].rule == "sum(1.3.2,1.3.3)<=1.3.1"
    assert by_code["2.5"].rule == "<=2.4"
    assert by_code["1.1.2"].rule == "<=1.1.1"


def test_command_loads_and_reloading_is_idempotent():
    out = StringIO()
    call_command("load_indicators", "--year", "2023", stdout=out)
    assert "73 dòng (thêm 73" in out.getvalue()
    out = StringIO()
    call_command("load_indicators", "--year", "2023", stdout=out)
    assert "thêm 0, cập nhật 73, xóa 0" in out.getvalue()
    assert IndicatorCatalogue.objects.get(year_from=2023).indicators.count() == 73


def test_command_with_a_bad_file_lists_line_and_column_and_saves_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    text = OFFICIAL_CSV.read_text(encoding="utf-8")
    text = text.replace("1.2.1,1.2,Số bộ phận chuyên môn cấp xã đã kiểm tra,Bộ phận chuyên môn,count",
                        "1.2.1,1.2,Số bộ phận chuyên môn cấp xã đã kiểm tra,Bộ phận chuyên môn,number")
    text = text.replace("1.5,1,", "1.5,9,")
    bad.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as refused:  # one line per problem in the error
        call_command("load_indicators", str(bad), "--year", "2030", stderr=err)
    output = str(refused.value)
    assert "Dòng 8 (chỉ tiêu 1.2.1), cột “value_type”" in output
    assert "Dòng 18 (chỉ tiêu 1.5), cột “parent”" in output
    assert not IndicatorCatalogue.objects.filter(year_from=2030).exists()


def test_row_problems_are_named_in_vietnamese():
    rows = read_rows(OFFICIAL_CSV)
    rows[1]["code"] = "1.1.1"  # duplicate of line 4
    rows[15]["choices"] = "Trực tuyến|1=Phát phiếu"  # 1.4.2
    with pytest.raises(CatalogueImportError) as refused:
        load_catalogue(rows, year_from=2020)
    problems = "\n".join(refused.value.problems)
    assert "Dòng 4 (chỉ tiêu 1.1.1), cột “code”: Mã 1.1.1 trùng với dòng 3." in problems
    assert "Dòng 17 (chỉ tiêu 1.4.2), cột “choices”" in problems


def test_a_rule_naming_an_unknown_code_is_refused():
    rows = read_rows(OFFICIAL_CSV)
    rows[4]["rule"] = "<=9.9"
    with pytest.raises(CatalogueImportError) as refused:
        load_catalogue(rows, year_from=2020)
    assert any("9.9" in p and "cột “rule”" in p for p in refused.value.problems)


def test_catalogue_in_force_is_the_latest_not_after_the_year():
    rows = read_rows(OFFICIAL_CSV)
    old = load_catalogue(rows, year_from=2015)[0]
    new = load_catalogue(rows, year_from=2025)[0]
    assert catalogue_for_year(2014) is None
    assert catalogue_for_year(2015) == old
    assert catalogue_for_year(2024) == old
    assert catalogue_for_year(2025) == new
    assert catalogue_for_year(2030) == new


def test_reloading_without_a_used_indicator_is_refused(catalogue, report, by_code):  # noqa: F811
    from indicators.appendix.services import replace_values

    replace_values(report, {by_code["2.1"].pk: "4"})
    rows = [r for r in read_rows(OFFICIAL_CSV) if r["code"] != "2.1"]
    with pytest.raises(CatalogueImportError) as refused:
        load_catalogue(rows, year_from=2015)
    assert refused.value.problems == ["Chỉ tiêu 2.1 đã có số liệu trong báo cáo nên không thể bỏ khỏi danh mục."]
