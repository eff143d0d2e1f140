"""The two report parts in cchc-report/1 (validation paths, import, export round trip), their
facts and document context, the scoring selector and the demo loader."""

import copy
import io
from decimal import Decimal

import pytest

from procedures import demo, selectors
from procedures.models import OneStopStats, Procedure, TimeCut
from reports import parts as part_registry
from reports.interchange import ImportRefused, export_report, import_report, validate
from reports.models import ReportStatus

pytestmark = pytest.mark.django_db

CONSISTENT = {
    "carried_over": 0, "online": 585, "online_partial": 479, "online_full": 106, "direct": 40, "postal": 2,
    "resolved_early": 479, "resolved_on_time": 148, "resolved_late": 0, "pending_in_time": 0,
    "pending_overdue": 0, "withdrawn": 0, "satisfaction_responses": 139, "satisfied": 139,
}
CUTS = [
    {"procedure": "Quyết định quản lý cai nghiện ma túy tại gia đình", "legal_days": 3, "cut_days": 2},
    {"procedure": "Cấp đổi, cấp lại Giấy xác nhận Mức độ khuyết tật", "legal_days": 5, "cut_days": 2},
    {"procedure": "Hòa giải tranh chấp đất đai", "legal_days": 45, "cut_days": 30, "decision": "QĐ 15/QĐ-UBND"},
    {"procedure": "1.000894", "legal_days": 5, "cut_days": 2.5},
]


@pytest.fixture
def document(vinh_long, period):
    return {"format": "cchc-report/1", "unit": vinh_long.code, "period": {"year": period.year, "kind": period.kind},
            "one_stop": copy.deepcopy(CONSISTENT), "time_cuts": copy.deepcopy(CUTS)}


@pytest.fixture
def marriage(vinh_long):
    return Procedure.objects.create(unit=vinh_long, field="Hộ tịch", name="Đăng ký kết hôn",
                                    national_code="1.000894", legal_days=Decimal(5))


def problems_by_path(data):
    problems, _unit, _period = validate(data)
    return {p.path: p.message for p in problems}


def test_consistent_document_has_no_problem(document):
    assert problems_by_path(document) == {}


def test_seed_total_is_refused_at_one_stop_received(document):
    document["one_stop"]["received"] = 830
    document["one_stop"]["resolved_on_time"] = 106
    found = problems_by_path(document)
    assert found["one_stop.received"].startswith("Tổng số hồ sơ tiếp nhận (830) khác tổng các kênh tiếp nhận (627)")
    assert "khác tổng đã giải quyết (585)" in found["one_stop"]
    with pytest.raises(ImportRefused):
        import_report(document)
    assert not OneStopStats.objects.exists() and not TimeCut.objects.exists()


@pytest.mark.parametrize("change, path", [
    ({"paid_online": 5, "fee_bearing": 4}, "one_stop.paid_online"),
    ({"online_full": 200}, "one_stop.online_partial"),
    ({"digitised": 700}, "one_stop.digitised"),
    ({"electronic_results": 700}, "one_stop.electronic_results"),
    ({"satisfied": 140}, "one_stop.satisfied"),
    ({"withdrawn": 1}, "one_stop"),
])
def test_each_invariant_is_reported_at_its_json_path(document, change, path):
    document["one_stop"].update(change)
    assert path in problems_by_path(document)


def test_carried_over_is_checked_against_the_previous_period(document, vinh_long, make_report):
    q1 = make_report(vinh_long, 2024, "Q1")
    OneStopStats.objects.create(report=q1, online=10, resolved_on_time=7, pending_in_time=3)
    found = problems_by_path(document)
    assert found["one_stop.carried_over"] == (
        "Số hồ sơ kỳ trước chuyển sang (0) khác số hồ sơ đang giải quyết cuối kỳ trước (3).")


def test_time_cut_rows_are_checked_at_their_index(document):
    document["time_cuts"].append({"procedure": "Thủ tục thôi làm hòa giải viên", "legal_days": 3, "cut_days": 5})
    document["time_cuts"][1]["cut_days"] = 5
    found = problems_by_path(document)
    assert set(found) == {"time_cuts[4].cut_days", "time_cuts[1].cut_days"}
    assert "Thời gian sau cắt giảm (5) phải ngắn hơn thời gian theo quy định (3)." in found["time_cuts[4].cut_days"]
    document["time_cuts"][0]["cut_days"] = 0
    assert "time_cuts[0].cut_days" in problems_by_path(document)  # the schema: exclusiveMinimum


def test_import_stores_counts_and_cuts_and_resolves_procedures_by_code_or_name(document, marriage):
    document["time_cuts"].append({"procedure": "đăng ký kết hôn", "legal_days": 5, "cut_days": 3})
    report = import_report(document)
    stats = OneStopStats.objects.get(report=report)
    assert stats.counts() == {name: CONSISTENT.get(name) for name in stats.counts()}
    cuts = list(TimeCut.objects.filter(report=report))
    assert [c.position for c in cuts] == [1, 2, 3, 4, 5]
    assert cuts[3].procedure == marriage and cuts[3].procedure_name == "1.000894"
    assert cuts[3].cut_days == Decimal("2.5")
    assert cuts[4].procedure == marriage and cuts[4].procedure_name == "đăng ký kết hôn"
    assert cuts[0].procedure is None and cuts[2].decision == "QĐ 15/QĐ-UBND"
    assert stats.history.count() == 1 and TimeCut.history.count() == 5


def test_export_round_trips(document, marriage):
    report = import_report(document)
    exported = export_report(report)
    assert exported["one_stop"] == {**CONSISTENT, "received": 627}
    assert exported["time_cuts"][3] == {"procedure": "1.000894", "legal_days": 5, "cut_days": 2.5}
    assert exported["time_cuts"][2]["decision"] == "QĐ 15/QĐ-UBND" and "decision" not in exported["time_cuts"][0]
    again = import_report(exported)
    assert again.pk == report.pk
    assert export_report(again) == exported


def test_a_file_without_the_keys_empties_the_parts(document):
    report = import_report(document)
    import_report({k: v for k, v in document.items() if k not in ("one_stop", "time_cuts")})
    assert not OneStopStats.objects.filter(report=report).exists()
    assert not TimeCut.objects.filter(report=report).exists()
    assert "one_stop" not in export_report(report) and "time_cuts" not in export_report(report)


def test_facts_and_document_context(document, marriage):
    report = import_report(document)
    facts = part_registry.all_facts(report)
    assert facts["one_stop.received"] == 627 and facts["one_stop.resolved_in_time"] == 627
    assert facts["one_stop.online"] == 585 and facts["one_stop.on_time_rate"] == "100%"
    assert facts["one_stop.satisfied_rate"] == "100%"
    assert facts["one_stop.paid_online_rate"] == "—"  # zero denominator (E7)
    assert facts["procedures.active_count"] == 1 and facts["procedures.time_cut_count"] == 4
    one_stop = part_registry.get("one_stop").document_context(report)
    assert one_stop["totals"]["received"] == 627 and one_stop["rates"]["online"] == Decimal("93.30")
    assert one_stop["rates"]["paid_online"] is None and one_stop["counts"]["digitised"] is None
    cuts = part_registry.get("procedures").document_context(report)["time_cuts"]
    assert cuts[0] == {"position": 1, "procedure": CUTS[0]["procedure"], "legal_days": Decimal(3),
                       "cut_days": Decimal(2), "pct_cut": Decimal("33.33"), "decision": ""}


def test_one_stop_for_prefers_the_annual_report_else_the_latest_approved(vinh_long, make_report):
    assert selectors.one_stop_for(vinh_long, 2024) is None
    q1, q2 = make_report(vinh_long, 2024, "Q1"), make_report(vinh_long, 2024, "Q2")
    OneStopStats.objects.create(report=q1, online=10, resolved_on_time=10)
    OneStopStats.objects.create(report=q2, online=20, resolved_on_time=20)
    assert selectors.one_stop_for(vinh_long, 2024) is None  # nothing approved yet
    for report in (q1, q2):
        report.status = ReportStatus.APPROVED
        report.save()
    counts = selectors.one_stop_for(vinh_long, 2024)
    assert counts["online"] == 20 and counts["received"] == 20 and counts["resolved_in_time"] == 20
    year = make_report(vinh_long, 2024, "Y")
    OneStopStats.objects.create(report=year, online=30, direct=5, resolved_early=35)
    counts = selectors.one_stop_for(vinh_long, 2024)
    assert counts["online"] == 30 and counts["received_in_period"] == 35 and counts["direct"] == 5


def test_previous_period_prefers_the_year_over_the_fourth_quarter(vinh_long, make_report):
    q4, year = make_report(vinh_long, 2023, "Q4"), make_report(vinh_long, 2023, "Y")
    OneStopStats.objects.create(report=q4, online=5, resolved_on_time=4, pending_in_time=1)
    OneStopStats.objects.create(report=year, online=50, resolved_on_time=48, pending_in_time=2)
    q1 = make_report(vinh_long, 2024, "Q1")
    assert selectors.previous_pending(vinh_long, q1.period) == 2
    assert OneStopStats.objects.get(report=q1).carried_over == 2


def test_demo_loader_is_consistent_and_idempotent(vinh_long, ho_xa, make_report):
    reports = [make_report(unit, 2024, kind) for kind in ("Q1", "Q2") for unit in (vinh_long, ho_xa)]
    demo.load_procedures(io.StringIO())
    counts = (Procedure.objects.count(), TimeCut.objects.count(), OneStopStats.objects.count())
    assert counts[0] >= 15 and counts[2] == 4 and counts[1] > 0
    for report in reports:
        assert part_registry.get("one_stop").problems(report) == []
        assert part_registry.get("procedures").problems(report) == []
    q1, q2 = OneStopStats.objects.get(report=reports[0]), OneStopStats.objects.get(report=reports[2])
    assert q2.carried_over == q1.totals["pending"]
    demo.load_procedures(io.StringIO())
    assert (Procedure.objects.count(), TimeCut.objects.count(), OneStopStats.objects.count()) == counts


def test_changes_since_a_submission_are_listed_per_field_and_row(document, vinh_long):
    from django.utils import timezone

    report = import_report(document)
    when = timezone.now()
    stats = OneStopStats.objects.get(report=report)
    stats.direct, stats.resolved_on_time = 41, 149
    stats.save()
    cut = TimeCut.objects.get(report=report, position=1)
    cut.cut_days = 1
    cut.save()
    one_stop = part_registry.get("one_stop").changes_since(report, when)
    assert {"field": "Số hồ sơ tiếp nhận trực tiếp", "old": 40, "new": 41} in one_stop
    assert len(one_stop) == 2
    rows = part_registry.get("procedures").changes_since(report, when)
    assert len(rows) == 1 and rows[0]["old"].endswith("3 → 2 ngày") and rows[0]["new"].endswith("3 → 1 ngày")
