"""Reporting periods: the default data windows and deadlines of letter 581/BNV-CCHC for all seven
kinds, and opening a year's periods (service, command, Celery task) without duplicates."""

import datetime as dt

import pytest
from django.core.management import call_command

from reports.models import PERIOD_ORDER, PeriodKind, ReportingPeriod
from reports.services import open_year_periods
from reports.tasks import open_year_periods_task

D = dt.date

# kind → (data_start, data_end, deadline) for 2024
EXPECTED_2024 = {
    "Q1": (D(2023, 12, 15), D(2024, 3, 14), D(2024, 3, 20)),
    "Q2": (D(2024, 3, 15), D(2024, 6, 14), D(2024, 6, 20)),
    "Q3": (D(2024, 6, 15), D(2024, 9, 14), D(2024, 9, 20)),
    "Q4": (D(2024, 9, 15), D(2024, 12, 14), D(2024, 12, 20)),
    "H1": (D(2023, 12, 15), D(2024, 6, 14), D(2024, 6, 20)),
    "M9": (D(2023, 12, 15), D(2024, 9, 14), D(2024, 9, 20)),
    "Y": (D(2023, 12, 15), D(2024, 12, 14), D(2024, 12, 20)),
}


def test_there_are_seven_kinds():
    assert set(PeriodKind.values) == set(EXPECTED_2024) == set(PERIOD_ORDER)


@pytest.mark.parametrize("kind", list(EXPECTED_2024))
def test_default_window_and_deadline(kind):
    start, end, deadline = EXPECTED_2024[kind]
    assert ReportingPeriod.default_dates(2024, kind) == {"data_start": start, "data_end": end, "deadline": deadline}


def test_quarters_tile_the_year_without_gaps():
    windows = [ReportingPeriod.default_dates(2025, kind) for kind in ("Q1", "Q2", "Q3", "Q4")]
    for before, after in zip(windows, windows[1:], strict=False):
        assert after["data_start"] == before["data_end"] + dt.timedelta(days=1)
    next_year_q1 = ReportingPeriod.default_dates(2026, "Q1")
    assert next_year_q1["data_start"] == windows[-1]["data_end"] + dt.timedelta(days=1)


def test_cumulative_kinds_start_with_the_year():
    for kind in ("H1", "M9", "Y"):
        assert ReportingPeriod.default_dates(2026, kind)["data_start"] == D(2025, 12, 15)


@pytest.mark.parametrize("kind, label", [
    ("Q2", "quý II năm 2024"), ("H1", "6 tháng đầu năm 2024"), ("M9", "9 tháng năm 2024"), ("Y", "năm 2024"),
])
def test_period_labels(kind, label):
    assert ReportingPeriod(year=2024, kind=kind, **ReportingPeriod.default_dates(2024, kind)).label == label


@pytest.mark.django_db
def test_open_year_periods_creates_seven_with_default_dates():
    assert not ReportingPeriod.objects.filter(year=2031).exists()
    created = open_year_periods(2031)
    assert sorted(p.kind for p in created) == sorted(PERIOD_ORDER)
    for period in created:
        dates = ReportingPeriod.default_dates(2031, period.kind)
        assert (period.data_start, period.data_end, period.deadline) == (
            dates["data_start"], dates["data_end"], dates["deadline"])
        assert period.is_open


@pytest.mark.django_db
def test_open_periods_command_is_idempotent_and_keeps_edited_deadlines(capsys):
    call_command("open_periods", "2032")
    assert "Đã tạo 7 kỳ báo cáo năm 2032" in capsys.readouterr().out
    q2 = ReportingPeriod.objects.get(year=2032, kind="Q2")
    q2.deadline = D(2032, 6, 25)
    q2.is_open = False
    q2.save()

    call_command("open_periods", "2032")
    assert "Đã tạo 0 kỳ báo cáo năm 2032" in capsys.readouterr().out
    assert ReportingPeriod.objects.filter(year=2032).count() == 7
    q2.refresh_from_db()
    assert q2.deadline == D(2032, 6, 25) and not q2.is_open


@pytest.mark.django_db
def test_yearly_task_opens_the_given_year_once():
    first = open_year_periods_task(2033)
    assert len(first) == 7
    assert open_year_periods_task(2033) == []
    assert ReportingPeriod.objects.filter(year=2033).count() == 7


@pytest.mark.django_db
def test_periods_sort_in_reporting_order():
    kinds = list(ReportingPeriod.objects.filter(year=2024).in_order().values_list("kind", flat=True))
    assert kinds == PERIOD_ORDER
