"""The appendix as a report part: facts, problems, cchc-report/1 export and import (JSON paths),
copy-forward, document rows, and the selectors other apps use."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.appendix.parts import AppendixPart
from indicators.appendix.selectors import catalogue_for_year, indicator_values
from indicators.appendix.services import replace_values
from indicators.models import IndicatorValue
from reports import parts as part_registry
from reports.interchange import ImportRefused, export_report, import_report, validate
from reports.models import Report

from .catalogue_fixtures import by_code, catalogue  # noqa: F401

pytestmark = pytest.mark.django_db


def fill(report, by_code, **values):  # noqa: F811
    replace_values(report, {by_code[code.replace("_", ".")].pk: v for code, v in values.items()})


def document_for(report, indicators):
    document = export_report(report)
    document["indicators"] = indicators
    return document


def messages(problems):
    return {p.path: p.message for p in problems}


def test_part_is_registered_after_direction():
    part = part_registry.get("appendix")
    assert isinstance(part, AppendixPart)
    assert part.order == 40 and part.url_name == "part-appendix" and part.export_keys == ("indicators",)
    keys = [p.key for p in part_registry.parts()]
    assert keys.index("direction") < keys.index("appendix")


def test_is_started_and_facts(report, by_code):  # noqa: F811
    part = part_registry.get("appendix")
    assert not part.is_started(report)
    fill(report, by_code, **{"2_1": "4", "3_2_4": "12.5", "7_1": "1"})
    assert part.is_started(report)
    facts = part_registry.all_facts(report)
    assert facts["appendix.2.1"] == 4 and facts["appendix.7.1"] == 1
    assert str(facts["appendix.3.2.4"]) == "12.5"


def test_problems_revalidate_saved_values(report, by_code):  # noqa: F811
    part = part_registry.get("appendix")
    fill(report, by_code, **{"2_4": "3", "2_5": "5", "3_2_5": "140", "1_3_1": "4", "1_3_2": "3", "1_3_3": "2"})
    found = messages(part.problems(report))
    assert found["indicators.2.5"] == "Chỉ tiêu 2.5 (Số VBQPPL có kiến nghị xử lý đã được xử lý xong = 5) lớn hơn chỉ tiêu 2.4 (= 3)."
    assert found["indicators.3.2.5"] == "chỉ tiêu 3.2.5 phải là số từ 0 đến 100 (đang là “140”)."
    assert "(3 + 2 = 5)" in found["indicators.1.3.2"]


def test_rule_between_two_sourced_values_is_left_to_their_part(report, by_code):  # noqa: F811
    report.issues_found, report.issues_fixed = 3, 5
    report.save()
    fill(report, by_code, **{"2_1": "1"})
    assert part_registry.get("appendix").problems(report) == []


def test_export_has_typed_values_and_sourced_values_the_file_can_carry(report, by_code):  # noqa: F811
    report.issues_found = 2
    report.save()
    fill(report, by_code, **{"2_1": "4", "3_2_4": "12.5", "4_1_4": "100", "7_1": "2"})
    exported = export_report(report)["indicators"]
    assert exported["2.1"] == 4 and exported["3.2.4"] == 12.5 and exported["4.1.4"] == 100
    assert isinstance(exported["4.1.4"], int) and exported["7.1"] == 2
    assert exported["1.2.2"] == 2  # direction.issues_found is settable through the appendix code
    assert "3.3.1" not in exported and "1" not in exported and "3.1" not in exported


def test_import_with_every_kind_of_problem_lists_json_paths(report, catalogue):  # noqa: F811
    document = document_for(report, {
        "9.9": 1, "3": 1, "3.3.1": 830, "2.1": -1, "3.2.4": 101, "7.1": 7, "1.1": 5, "2.4": 1, "2.5": 2,
        "1.2.2": "x",
    })
    problems, _unit, _period = validate(document)
    found = messages(problems)
    assert found["indicators.9.9"].startswith("chỉ tiêu 9.9 không có trong danh mục")
    assert found["indicators.3"] == "chỉ tiêu 3 là nhóm chỉ tiêu, không nhập số liệu."
    assert found["indicators.3.3.1"] == "chỉ tiêu 3.3.1 được lấy từ phần Một cửa, không nhập ở đây"
    assert found["indicators.2.1"] == "chỉ tiêu 2.1 phải là số nguyên không âm (đang là “-1”)."
    assert "0 đến 100" in found["indicators.3.2.4"]
    assert "0=Chưa có" in found["indicators.7.1"]
    assert "chuỗi" in found["indicators.1.1"]  # the direction part's setter checks plan references
    assert "1.2.2" in found["indicators.1.2.2"] and "số nguyên" in found["indicators.1.2.2"]
    assert found["indicators.2.5"] == "Chỉ tiêu 2.5 (Số VBQPPL có kiến nghị xử lý đã được xử lý xong = 2) lớn hơn chỉ tiêu 2.4 (= 1)."
    with pytest.raises(ImportRefused):
        import_report(document)
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_procedures_count_is_refused_while_no_part_can_take_it(report, catalogue):  # noqa: F811
    problems, _u, _p = validate(document_for(report, {"3.1.3": 201}))
    if part_registry.fact_setter("procedures.active_count") is None:
        assert messages(problems)["indicators.3.1.3"] == (
            "chỉ tiêu 3.1.3 được lấy từ phần Thủ tục hành chính, không nhập ở đây")


def test_import_stores_typed_values_and_hands_sourced_ones_to_their_part(report, catalogue):  # noqa: F811
    document = document_for(report, {"2.1": 3, "3.2.4": 12.5, "7.1": 1, "1.2.2": 4, "1.2.3": 2, "1.4.2": 1})
    imported = import_report(document)
    assert imported.pk == report.pk
    assert imported.issues_found == 4 and imported.issues_fixed == 2 and imported.survey_method == "1"
    assert indicator_values([report.pk])[report.pk] == {"2.1": 3, "3.2.4": pytest.approx(12.5), "7.1": 1}
    again = export_report(imported)
    assert again["indicators"]["1.2.2"] == 4 and again["indicators"]["2.1"] == 3
    assert export_report(import_report(again)) == again


def test_import_without_indicators_empties_the_appendix(report, by_code):  # noqa: F811
    fill(report, by_code, **{"2_1": "4"})
    document = export_report(report)
    del document["indicators"]
    import_report(document)
    assert indicator_values([report.pk]) == {}


def test_copy_forward_keeps_states_of_the_same_year_only(report, by_code, make_report, vinh_long):  # noqa: F811
    fill(report, by_code, **{"2_1": "4", "6_1": "1", "7_2_1": "1"})
    q3 = make_report(vinh_long, 2024, "Q3")
    assert indicator_values([q3.pk])[q3.pk] == {"6.1": 1, "7.2.1": 1}
    next_year = make_report(vinh_long, 2025, "Q1")
    assert indicator_values([next_year.pk]) == {}


def test_document_rows_print_the_whole_table(report, by_code):  # noqa: F811
    report.plan_task_total, report.plan_itemised = 26, False
    report.save()
    fill(report, by_code, **{"2_1": "1234", "3_2_4": "12.5", "1_5": "1", "7_1": "1"})
    context = part_registry.get("appendix").document_context(report)
    rows = {row["code"]: row for row in context["rows"]}
    assert len(context["rows"]) == 73
    assert rows["1"] == {**rows["1"], "is_group": True, "value": "", "depth": 0}
    assert rows["2.1"]["value"] == "1.234" and rows["2.1"]["unit"] == "Văn bản"
    assert rows["3.2.4"]["value"] == "12,5"
    assert rows["1.1.1"]["value"] == "26"  # sourced from the direction part
    assert rows["7.1"]["value"] == "1" and rows["7.1"]["value_label"] == "2 cấp"
    assert rows["7.1"]["unit"] == "Chưa có = 0, 2 cấp = 1, 3 cấp = 2"
    assert rows["7.2.3.a"]["depth"] == 3
    assert rows["2.2"]["value"] == "—"


def test_indicator_values_is_one_query_for_many_reports(by_code, make_report, vinh_long, ho_xa):  # noqa: F811
    reports = [make_report(unit, 2024, kind) for unit in (vinh_long, ho_xa) for kind in ("Q1", "Q2", "Q3")]
    for n, r in enumerate(reports):
        fill(r, by_code, **{"2_1": str(n), "3_2_4": "50"})
    with CaptureQueriesContext(connection) as ctx:
        result = indicator_values([r.pk for r in reports])
    assert len(ctx.captured_queries) == 1
    assert result[reports[4].pk]["2.1"] == 4
    assert set(result) == {r.pk for r in reports}


def test_catalogue_for_year_selector(catalogue):  # noqa: F811
    assert catalogue_for_year(2024) == catalogue
    assert catalogue_for_year(2010) is None


def test_submission_is_blocked_by_appendix_problems(report, by_code, users):  # noqa: F811
    from reports.services import submission_problems

    fill(report, by_code, **{"2_4": "1", "2_5": "2"})
    assert any("2.5" in line for line in submission_problems(Report.objects.get(pk=report.pk)))


def test_demo_fills_sample_values_once(report, catalogue):  # noqa: F811
    from io import StringIO

    from indicators.appendix.demo import load_catalogue_demo

    load_catalogue_demo(StringIO())
    first = indicator_values([report.pk])[report.pk]
    assert first["3.2.1"] == 122 and "3.3.1" not in first
    assert part_registry.get("appendix").problems(report) == []
    count = IndicatorValue.objects.count()
    load_catalogue_demo(StringIO())
    assert IndicatorValue.objects.count() == count
