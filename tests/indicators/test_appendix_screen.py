"""The Phụ lục 01b entry screen: permissions, read-only sourced values, all-or-nothing saving,
errors next to the cell, and a query count that does not grow with the catalogue."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.appendix.services import replace_values
from indicators.models import IndicatorCatalogue, IndicatorValue
from reports import parts as part_registry
from reports.models import PlanTask, ReportStatus, TaskStatus

from .catalogue_fixtures import bigger_catalogue_rows, by_code, catalogue, load_rows  # noqa: F401

pytestmark = pytest.mark.django_db


def url(report):
    return reverse("part-appendix", kwargs={"report_pk": report.pk})


def post_data(report, **values):
    data = {"part_revision": report.part_revision("appendix")}
    data.update({f"appendix-i_{code.replace('.', '_')}": value for code, value in values.items()})
    return data


def stored(report):
    return dict(IndicatorValue.objects.filter(report=report).exclude(value="")
                .values_list("indicator__code", "value"))


@pytest.mark.parametrize("role, expected", [
    (None, 302), ("officer", 200), ("other_officer", 404), ("reviewer", 200), ("outside_reviewer", 404),
    ("admin", 200),
])
def test_get_permissions(as_user, report, catalogue, role, expected):  # noqa: F811
    assert as_user(role).get(url(report)).status_code == expected


@pytest.mark.parametrize("role, expected", [
    (None, 302), ("officer", 302), ("other_officer", 404), ("reviewer", 403), ("outside_reviewer", 404),
    ("admin", 302),
])
def test_post_permissions(as_user, report, catalogue, role, expected):  # noqa: F811
    response = as_user(role).post(url(report), post_data(report, **{"2.1": "3"}))
    assert response.status_code == expected
    assert (stored(report) == {"2.1": "3"}) == (role in ("officer", "admin"))


def test_reviewer_sees_the_table_read_only(as_user, report, catalogue, by_code):  # noqa: F811
    replace_values(report, {by_code["2.1"].pk: "3"})
    html = as_user("reviewer").get(url(report)).content.decode()
    assert "Chế độ chỉ xem" in html
    field = re.search(r'<input[^>]*name="appendix-i_2_1"[^>]*>', html).group(0)
    assert "disabled" in field and 'value="3"' in field


def test_whole_table_is_shown_grouped_with_units_and_typed_inputs(as_user, report, catalogue):  # noqa: F811
    html = as_user("officer").get(url(report)).content.decode()
    assert html.count('data-kind="group"') == 19
    assert len(re.findall(r'<tr data-code="', html)) == 73 - 19
    assert "Cải cách thủ tục hành chính" in html and "Bộ phận chuyên môn" in html
    select = re.search(r'<select name="appendix-i_7_1".*?</select>', html, re.S).group(0)
    assert "3 cấp" in select and 'value="2"' in select
    assert 'name="appendix-i_3_2_4"' in html and 'inputmode="decimal"' in html
    assert 'name="appendix-i_3_3_1"' not in html  # from the one-stop part, never typed here


def test_sourced_values_come_from_the_other_parts(as_user, report, catalogue):  # noqa: F811
    PlanTask.objects.bulk_create([
        PlanTask(report=report, position=i, title=f"Nhiệm vụ {i}",
                 status=TaskStatus.DONE if i <= 4 else TaskStatus.IN_PROGRESS)
        for i in range(1, 8)
    ])
    report.issues_found = 1234
    report.plan_reference = "Kế hoạch số 02/KH-UBND ngày 05/01/2024"
    report.save()
    html = as_user("officer").get(url(report)).content.decode()
    assert re.search(r'data-testid="sourced-1.1.1">7<', html)
    assert re.search(r'data-testid="sourced-1.1.2">4<', html)
    assert re.search(r'data-testid="sourced-1.2.2">1.234<', html)
    assert "Kế hoạch số 02/KH-UBND ngày 05/01/2024" in html
    assert re.search(r'data-testid="sourced-1.2.3">—<', html)  # the direction part is empty there
    assert re.search(r'data-testid="sourced-3.3.1">—<', html)
    direction_url = reverse("part-direction", kwargs={"report_pk": report.pk})
    assert f'href="{direction_url}"' in html
    assert 'name="appendix-i_1_1_1"' not in html


def test_saving_valid_values_stores_canonical_text(as_user, report, catalogue):  # noqa: F811
    response = as_user("officer").post(url(report), post_data(report, **{
        "2.1": "1.234", "3.2.4": "12,5", "7.1": "2", "4.1.2": " 18 ", "2.4": "",
    }))
    assert response.status_code == 302
    assert stored(report) == {"2.1": "1234", "3.2.4": "12.5", "7.1": "2", "4.1.2": "18"}
    report.refresh_from_db()
    assert report.part_revision("appendix") == 1
    html = as_user("officer").get(url(report)).content.decode()
    assert re.search(r'name="appendix-i_3_2_4"[^>]*value="12,5"|value="12,5"[^>]*name="appendix-i_3_2_4"', html)
    assert re.search(r'name="appendix-i_2_1"[^>]*value="1.234"|value="1.234"[^>]*name="appendix-i_2_1"', html)


def test_clearing_a_value_keeps_its_history(as_user, report, catalogue, by_code):  # noqa: F811
    replace_values(report, {by_code["2.1"].pk: "3"})
    as_user("officer").post(url(report), post_data(report, **{"2.1": ""}))
    assert stored(report) == {}
    row = IndicatorValue.objects.get(report=report, indicator=by_code["2.1"])
    assert [h.value for h in row.history.order_by("history_date")] == ["3", ""]


@pytest.mark.parametrize("code, typed, message", [
    ("2.1", "-3", "Phải là số nguyên không âm"),
    ("2.1", "2,5", "Phải là số nguyên không âm"),
    ("3.2.4", "120", "Phải là số từ 0 đến 100"),
    ("3.2.4", "abc", "Phải là số từ 0 đến 100"),
    ("7.1", "5", "lựa chọn hợp lệ"),
])
def test_kind_errors_are_shown_next_to_the_cell_and_nothing_is_saved(as_user, report, catalogue, code, typed, message):  # noqa: F811
    response = as_user("officer").post(url(report), post_data(report, **{"2.2": "7", code: typed}))
    assert response.status_code == 422
    html = response.content.decode()
    error = re.search(rf'data-testid="error-{re.escape(code)}">([^<]*)<', html)
    assert error and message in error.group(1)
    assert 'value="7"' in html  # the valid value typed alongside is kept on screen
    field = re.search(rf'<(input|select)[^>]*name="appendix-i_{code.replace(".", "_")}"[^>]*>', html).group(0)
    assert "is-invalid" in field
    assert stored(report) == {}


def test_cross_rule_error_names_both_indicators_and_numbers(as_user, report, catalogue):  # noqa: F811
    response = as_user("officer").post(url(report), post_data(report, **{"2.4": "3", "2.5": "5"}))
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(r'data-testid="error-2.5">Chỉ tiêu 2.5 \(Số VBQPPL có kiến nghị xử lý đã được xử lý xong = 5\) '
                     r'lớn hơn chỉ tiêu 2.4 \(= 3\)', html)
    assert stored(report) == {}


def test_sum_rule_is_checked(as_user, report, catalogue):  # noqa: F811
    response = as_user("officer").post(url(report), post_data(report, **{"1.3.1": "41", "1.3.2": "38", "1.3.3": "5"}))
    assert response.status_code == 422
    assert "Tổng chỉ tiêu 1.3.2 + 1.3.3 (38 + 5 = 43) lớn hơn chỉ tiêu 1.3.1" in response.content.decode()
    response = as_user("officer").post(url(report), post_data(report, **{"1.3.1": "41", "1.3.2": "38", "1.3.3": "3"}))
    assert response.status_code == 302


def test_submitted_report_is_not_saved(as_user, report, catalogue):  # noqa: F811
    report.status = ReportStatus.SUBMITTED
    report.save()
    assert as_user("officer").post(url(report), post_data(report, **{"2.1": "3"})).status_code == 403
    assert stored(report) == {}


def test_stale_revision_is_a_conflict(as_user, report, catalogue):  # noqa: F811
    data = post_data(report, **{"2.1": "3"})
    as_user("officer").post(url(report), data)
    data["appendix-i_2_1"] = "4"
    response = as_user("officer").post(url(report), data)
    assert response.status_code == 409
    assert stored(report) == {"2.1": "3"}


def test_autosave_saves_only_valid_input(as_user, report, catalogue):  # noqa: F811
    client = as_user("officer")
    bad = client.post(url(report), {**post_data(report, **{"2.1": "x"}), "autosave": "1"})
    assert "Chưa tự động lưu" in bad.content.decode() and stored(report) == {}
    good = client.post(url(report), {**post_data(report, **{"2.1": "2"}), "autosave": "1"})
    assert "Đã tự động lưu" in good.content.decode() and stored(report) == {"2.1": "2"}


def test_without_a_catalogue_the_screen_says_so(as_user, report):
    IndicatorCatalogue.objects.all().delete()
    html = as_user("officer").get(url(report)).content.decode()
    assert 'data-testid="no-catalogue"' in html


def _queries(client, method, path, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    assert response.status_code in (200, 302)
    return len(ctx.captured_queries)


# The screen's own queries (session, user, memberships, report, catalogue, indicators, values,
# comments, session savepoints): the other parts' facts are counted separately, as they grow with those parts.
OWN_QUERIES_GET = 12  # 8, plus 3 when a flash message is consumed (session update)
OWN_QUERIES_POST = 21


def facts_queries(report):
    with CaptureQueriesContext(connection) as ctx:
        part_registry.all_facts(report)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_catalogue(as_user, report, django_assert_max_num_queries):
    client = as_user("officer")
    load_rows(bigger_catalogue_rows(5), year_from=2015)
    small_get = _queries(client, "get", url(report))
    small_post = _queries(client, "post", url(report), post_data(report, **{"2.1": "1", "8.1": "2"}))
    load_rows(bigger_catalogue_rows(120), year_from=2015)
    report.refresh_from_db()
    facts = facts_queries(report)
    values = {f"8.{n}": str(n) for n in range(1, 121)}
    with django_assert_max_num_queries(facts + OWN_QUERIES_GET):
        assert client.get(url(report)).status_code == 200
    big_get = _queries(client, "get", url(report))
    with django_assert_max_num_queries(facts + OWN_QUERIES_POST):
        assert client.post(url(report), post_data(report, **values)).status_code == 302
    assert len(stored(report)) == 120
    assert big_get == small_get
    assert small_post <= facts + OWN_QUERIES_POST
