"""A new report is prefilled from the right report: the unit's own latest earlier one (the annual
report from Q4 of its year), or, for the first report of a commune formed by the 2025 merger, its
predecessors' reports of the last period before the merger, and never from further back."""

import pytest

from reports import parts as part_registry
from reports.demo import AFTER, BEFORE, NEW_VINH_LINH, VINH_LONG
from reports.models import AdministrativeUnit, PlanTask, ReportTransition, TaskStatus, UnitLineage
from reports.services import predecessor_reports, previous_report

pytestmark = pytest.mark.django_db

VINH_CHAP = "19375"  # Xã Vĩnh Chấp, with Vĩnh Long and Hồ Xá one of Xã Vĩnh Linh's predecessors
HO_XA = "19363"


@pytest.fixture
def units():
    return {
        "vinh_long": AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE),
        "vinh_chap": AdministrativeUnit.objects.resolve(VINH_CHAP, BEFORE),
        "ho_xa": AdministrativeUnit.objects.resolve(HO_XA, BEFORE),
        "vinh_linh": AdministrativeUnit.objects.resolve(NEW_VINH_LINH, AFTER),
    }


def add_tasks(report, *titles, status=TaskStatus.IN_PROGRESS):
    PlanTask.objects.bulk_create([PlanTask(report=report, position=i + 1, title=t, status=status)
                                  for i, t in enumerate(titles)])


def created_reason(report):
    return ReportTransition.objects.get(report=report, from_status="").reason


def test_annual_report_inherits_the_units_own_fourth_quarter(units, make_report):
    old = make_report(units["vinh_long"], 2024, "Y")
    old.signer_name = "Người ký 2024"
    old.save()
    q4 = make_report(units["vinh_linh"], 2026, "Q4")
    q4.signer_name, q4.plan_reference = "Người ký 2026", "Kế hoạch số 03/KH-UBND ngày 05/01/2026"
    q4.save()
    add_tasks(q4, "Rà soát TTHC năm 2026")
    year = make_report(units["vinh_linh"], 2026, "Y")
    assert previous_report(year) == q4
    assert year.signer_name == "Người ký 2026"
    assert year.plan_reference == "Kế hoạch số 03/KH-UBND ngày 05/01/2026"
    assert list(year.tasks.values_list("title", flat=True)) == ["Rà soát TTHC năm 2026"]
    assert "quý IV năm 2026" in created_reason(year)


def test_fourth_quarter_does_not_inherit_the_annual_report_of_its_year(units, make_report):
    year = make_report(units["vinh_linh"], 2026, "Y")
    q4 = make_report(units["vinh_linh"], 2026, "Q4")
    assert previous_report(q4) != year


def test_a_report_long_after_the_merger_inherits_nothing_from_a_predecessor(units, make_report):
    old = make_report(units["vinh_long"], 2024, "Q2")
    old.signer_name = "Chủ tịch xã Vĩnh Long"
    old.save()
    add_tasks(old, "Nhiệm vụ 2024")
    new = make_report(units["vinh_linh"], 2026, "Q4")
    assert previous_report(new) is None and predecessor_reports(new) == []
    assert new.signer_name == "" and not new.tasks.exists()
    assert "kế thừa" not in created_reason(new)


def test_first_report_after_the_merger_lists_the_predecessors_tasks_with_their_origin(units, make_report):
    stale = make_report(units["vinh_long"], 2024, "Q2")
    add_tasks(stale, "Nhiệm vụ cũ năm 2024")
    long_q2 = make_report(units["vinh_long"], 2025, "Q2")
    add_tasks(long_q2, "Số hóa hồ sơ", "Đối thoại với người dân")
    chap_h1 = make_report(units["vinh_chap"], 2025, "H1")
    add_tasks(chap_h1, "Niêm yết TTHC")
    long_q2.signer_name = "Chủ tịch xã Vĩnh Long"
    long_q2.save()

    q3 = make_report(units["vinh_linh"], 2025, "Q3")
    assert predecessor_reports(q3) == [chap_h1, long_q2]  # by unit code
    titles = list(q3.tasks.order_by("position").values_list("title", flat=True))
    assert titles == ["Niêm yết TTHC (từ Xã Vĩnh Chấp)", "Số hóa hồ sơ (từ Xã Vĩnh Long)",
                      "Đối thoại với người dân (từ Xã Vĩnh Long)"]
    assert q3.signer_name == ""  # another committee signed the predecessors' reports
    assert "Xã Vĩnh Long" in created_reason(q3) and "Xã Vĩnh Chấp" in created_reason(q3)


def test_predecessors_plan_totals_are_summed(units, make_report):
    for code, total, done in (("vinh_long", 20, 12), ("vinh_chap", 15, 5)):
        report = make_report(units[code], 2025, "Q2")
        report.plan_itemised, report.plan_task_total, report.plan_tasks_done = False, total, done
        report.save()
    q3 = make_report(units["vinh_linh"], 2025, "Q3")
    q3.refresh_from_db()
    assert (q3.plan_itemised, q3.plan_task_total, q3.plan_tasks_done) == (False, 35, 17)


def test_a_quarter_that_does_not_follow_the_merger_directly_inherits_nothing(units, make_report):
    q2 = make_report(units["vinh_long"], 2025, "Q2")
    add_tasks(q2, "Số hóa hồ sơ")
    q4 = make_report(units["vinh_linh"], 2025, "Q4")  # no Q3 report of its own: Q2 is two periods back
    assert not q4.tasks.exists()


@pytest.mark.requires_plugin("procedures")
def test_carried_over_dossiers_are_the_predecessors_pending_and_e5_follows_the_lineage(units, make_report):
    from procedures import selectors
    from procedures.models import OneStopStats, TimeCut

    pending = {"vinh_long": 3, "vinh_chap": 4, "ho_xa": 5}
    for code, count in pending.items():
        report = make_report(units[code], 2025, "Q2")
        OneStopStats.objects.create(report=report, online=10, resolved_on_time=10 - count, pending_in_time=count)
        TimeCut.objects.create(report=report, position=1, procedure_name="Đăng ký khai sinh",
                               legal_days=5, cut_days=3)
    q3 = make_report(units["vinh_linh"], 2025, "Q3")
    assert selectors.previous_pending(units["vinh_linh"], q3.period) == 12
    stats = OneStopStats.objects.get(report=q3)
    assert stats.carried_over == 12
    assert TimeCut.objects.filter(report=q3).count() == 1  # one procedure, listed once

    stats.carried_over, stats.online, stats.resolved_on_time = 11, 5, 16
    stats.save()
    problems = part_registry.get("one_stop").problems(q3)
    assert any("12" in p.message and "11" in p.message for p in problems)


@pytest.mark.requires_plugin("procedures")
def test_pending_is_unknown_when_a_predecessor_went_only_partly_into_the_new_commune(units, make_report):
    from procedures import selectors
    from procedures.models import OneStopStats

    for code in ("vinh_long", "vinh_chap", "ho_xa"):
        report = make_report(units[code], 2025, "Q2")
        OneStopStats.objects.create(report=report, online=2, resolved_on_time=1, pending_in_time=1)
    period = make_report(units["vinh_linh"], 2025, "Q3").period
    assert selectors.previous_pending(units["vinh_linh"], period) == 3
    UnitLineage.objects.filter(unit=units["vinh_linh"], predecessor=units["ho_xa"]).update(partial=True)
    assert selectors.previous_pending(units["vinh_linh"], period) is None

