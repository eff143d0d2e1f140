"""A report is addressed to bodies that exist on its period's reference day: the district's before
1 July 2025, the province's after; a new report's header never comes from the other side."""

import pytest

from reports import addressing
from reports.demo import AFTER, BEFORE, NEW_VINH_LINH, VINH_LONG
from reports.models import AdministrativeUnit, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def vinh_linh_commune(db):
    return AdministrativeUnit.objects.resolve(NEW_VINH_LINH, AFTER)


def test_a_2026_report_is_addressed_to_the_provinces_internal_affairs_department(vinh_linh_commune, make_report):
    report = make_report(vinh_linh_commune, 2026, "Q2")
    assert report.addressee == "Sở Nội vụ tỉnh Quảng Trị"
    assert "UBND tỉnh Quảng Trị (b/c)" in report.recipient_lines
    assert not any("huyện" in line for line in report.recipient_lines)
    assert report.place == "Vĩnh Linh"


def test_a_2024_report_is_addressed_to_the_districts_internal_affairs_office(vinh_long, make_report):
    report = make_report(vinh_long, 2024, "Q3")
    assert report.addressee == "Phòng Nội vụ huyện Vĩnh Linh"
    assert "UBND huyện Vĩnh Linh (b/c)" in report.recipient_lines


def test_the_tree_on_the_reference_day_decides(vinh_long, vinh_linh_commune):
    q2_2025 = ReportingPeriod.objects.get(year=2025, kind="Q2")
    q3_2025 = ReportingPeriod.objects.get(year=2025, kind="Q3")
    assert addressing.superior(vinh_long, q2_2025.reference_date).name == "Huyện Vĩnh Linh"
    assert addressing.superior(vinh_linh_commune, q3_2025.reference_date).name == "Tỉnh Quảng Trị"
    assert addressing.addressee(vinh_long, q2_2025) == "Phòng Nội vụ huyện Vĩnh Linh"


def test_a_2025_q3_report_does_not_inherit_the_districts_addressee(vinh_long, vinh_linh_commune, make_report):
    q2 = make_report(vinh_long, 2025, "Q2")
    q2.addressee, q2.recipients = "Phòng Nội vụ huyện Vĩnh Linh", "Phòng Nội vụ huyện (b/c)\nLưu: VT."
    q2.save()
    q3 = make_report(vinh_linh_commune, 2025, "Q3")
    assert q3.addressee == "Sở Nội vụ tỉnh Quảng Trị"
    assert "huyện" not in q3.recipients


def test_the_same_superiors_customised_header_is_carried_forward(vinh_linh_commune, make_report):
    q1 = make_report(vinh_linh_commune, 2026, "Q1")
    q1.addressee = "Sở Nội vụ tỉnh Quảng Trị; Văn phòng UBND tỉnh"
    q1.recipients = "Sở Nội vụ (b/c)\nVăn phòng UBND tỉnh (b/c)\nLưu: VT."
    q1.save()
    q2 = make_report(vinh_linh_commune, 2026, "Q2")
    assert q2.addressee == "Sở Nội vụ tỉnh Quảng Trị; Văn phòng UBND tỉnh"
    assert q2.recipient_lines == ["Sở Nội vụ (b/c)", "Văn phòng UBND tỉnh (b/c)", "Lưu: VT."]


def test_before_the_reform_the_districts_header_carries_within_the_same_district(make_report):
    vinh_long = AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE)
    q1 = make_report(vinh_long, 2024, "Q1")
    q1.addressee = "Phòng Nội vụ huyện Vĩnh Linh (tùy chỉnh)"
    q1.save()
    q2 = make_report(vinh_long, 2024, "Q2")
    assert q2.addressee == "Phòng Nội vụ huyện Vĩnh Linh (tùy chỉnh)"


def test_a_2026_report_addressed_to_an_abolished_district_office_cannot_be_submitted(vinh_linh_commune, make_report,
                                                                                     users):
    from reports import parts as part_registry
    from reports.services import ReportError, submit_report

    report = make_report(vinh_linh_commune, 2026, "Q2")
    report.addressee = "Phòng Nội vụ huyện Vĩnh Linh"
    report.recipients = "Sở Nội vụ tỉnh Quảng Trị (b/c)\nUBND huyện Vĩnh Linh (b/c)\nLưu: VT."
    report.save()
    problems = part_registry.get("header").problems(report)
    assert {p.path for p in problems if "cấp huyện" in p.message} == {"addressee", "recipients"}
    assert any("Sở Nội vụ tỉnh Quảng Trị" in p.message for p in problems)
    with pytest.raises(ReportError) as refused:
        submit_report(report, actor=users["leader"])
    assert any("cấp huyện" in str(p) for p in refused.value.problems)


def test_a_2024_report_may_name_the_district_office(vinh_long, make_report):
    from reports import parts as part_registry

    report = make_report(vinh_long, 2024, "Q3")
    report.addressee = "Phòng Nội vụ huyện Vĩnh Linh"
    report.save()
    assert not [p for p in part_registry.get("header").problems(report) if "cấp huyện" in p.message]
